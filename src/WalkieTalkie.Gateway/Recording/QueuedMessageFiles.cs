using System.Text;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>A voice message read back from its queue file.</summary>
public sealed record QueuedMessageFile(uint BurstId, byte Channel, int SampleRate, string TalkerName, List<byte[]> Blocks);

/// <summary>
/// Voice messages waiting for a channel's floor, kept on disk so that a restart neither loses them (the bridge took
/// them as queued) nor reuses their reserved burst ids: <c>{recordings}/queued/{burst id}-ch{channel}.wav</c>, an IMA
/// ADPCM WAV of the message's blocks, with the talker's name beside it in <c>.talker</c>. The WAV is written last and
/// renamed into place, so a message is either there whole or not at all.
/// </summary>
public sealed class QueuedMessageFiles(string recordingsRoot)
{
    private readonly string _folder = Path.Combine(recordingsRoot, "queued");

    public void Save(uint burstId, byte channel, int sampleRate, string talkerName, IReadOnlyList<byte[]> blocks)
    {
        Directory.CreateDirectory(_folder);
        var path = PathFor(burstId, channel);
        File.WriteAllText(Path.ChangeExtension(path, ".talker"), talkerName, Encoding.UTF8);
        var blockBytes = blocks[0].Length;
        var header = new byte[WavWriter.ImaAdpcmHeaderBytes];
        var written = WavWriter.WriteImaAdpcmHeader(header, 0, sampleRate, blockBytes, blocks.Count, blocks.Count * ImaAdpcm.SamplesPerBlockFor(blockBytes));
        if (written < 0)
        {
            throw new ArgumentException($"cannot write a WAV header for {blockBytes}-byte blocks at {sampleRate} Hz ({written})");
        }

        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(header);
            foreach (var block in blocks)
            {
                file.Write(block);
            }

            file.Flush(true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The message played (its recording took over) or was dropped.</summary>
    public void Delete(uint burstId, byte channel)
    {
        var path = PathFor(burstId, channel);
        File.Delete(path);
        File.Delete(Path.ChangeExtension(path, ".talker"));
    }

    /// <summary>Every message still waiting, oldest burst first; unreadable files are skipped (and reported).</summary>
    public List<QueuedMessageFile> Load(Action<string> unreadable)
    {
        var messages = new List<QueuedMessageFile>();
        if (!Directory.Exists(_folder))
        {
            return messages;
        }

        foreach (var path in Directory.GetFiles(_folder, "*.wav"))
        {
            var name = Path.GetFileNameWithoutExtension(path).Split("-ch");
            var talkerPath = Path.ChangeExtension(path, ".talker");
            var bytes = File.ReadAllBytes(path);
            var info = new WavInfo();
            if (name.Length != 2 || !uint.TryParse(name[0], out var burstId) || !byte.TryParse(name[1], out var channel) || !File.Exists(talkerPath)
                || WavReader.Read(bytes, bytes.Length, info) != WavError.Ok || !info.IsImaAdpcm || info.BlockAlign <= 0)
            {
                unreadable(path);
                continue;
            }

            var blocks = new List<byte[]>();
            for (var at = info.DataOffset; at + info.BlockAlign <= info.DataOffset + info.DataLength; at += info.BlockAlign)
            {
                blocks.Add(bytes.AsSpan(at, info.BlockAlign).ToArray());
            }

            messages.Add(new QueuedMessageFile(burstId, channel, info.SampleRate, File.ReadAllText(talkerPath, Encoding.UTF8), blocks));
        }

        return messages.OrderBy(m => m.BurstId).ToList();
    }

    /// <summary>The highest burst id a waiting message holds (0 when none): ids from there on are taken.</summary>
    public uint HighestBurstId()
    {
        if (!Directory.Exists(_folder))
        {
            return 0;
        }

        return Directory.GetFiles(_folder, "*.wav")
            .Select(path => uint.TryParse(Path.GetFileNameWithoutExtension(path).Split("-ch")[0], out var id) ? id : 0)
            .DefaultIfEmpty(0u).Max();
    }

    private string PathFor(uint burstId, byte channel) => Path.Combine(_folder, $"{burstId:D8}-ch{channel}.wav");
}
