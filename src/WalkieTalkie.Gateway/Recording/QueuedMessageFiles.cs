using System.Text;
using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>A voice message read back from its queue file.</summary>
public sealed record QueuedMessageFile(uint BurstId, byte Channel, int SampleRate, string TalkerName, List<byte[]> Blocks);

/// <summary>
/// Voice messages waiting for a channel's floor, kept on disk so that a restart neither loses them (the bridge took
/// them as queued) nor reuses their reserved burst ids: <c>{recordings}/queued/{burst id}-ch{channel}.wtr</c>, the
/// message's blocks sealed like every recording (<see cref="RecordingFormat"/>), with the talker's name beside it in
/// <c>.talker</c> (owner-only, like everything in the data folder). The recording is written last and renamed into
/// place, so a message is either there whole or not at all. Messages queued as plain WAVs (before recordings were
/// sealed) are still read.
/// </summary>
public sealed class QueuedMessageFiles(string recordingsRoot, RecordingKey key, RecordingReader reader)
{
    private readonly string _folder = Path.Combine(recordingsRoot, "queued");

    public void Save(uint burstId, byte channel, int sampleRate, string talkerName, IReadOnlyList<byte[]> blocks)
    {
        var path = PathFor(burstId, channel, RecordingFormat.Extension);
        OwnerOnly.WriteAllBytes(Path.ChangeExtension(path, ".talker"), Encoding.UTF8.GetBytes(talkerName));
        var blockBytes = blocks[0].Length;
        var all = new byte[blocks.Count * blockBytes];
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i].Length != blockBytes)
            {
                throw new ArgumentException("blocks of different lengths", nameof(blocks));
            }

            blocks[i].CopyTo(all, i * blockBytes);
        }

        RecordingFileWriter.WriteFile(path, key, sampleRate, blockBytes, all);
    }

    /// <summary>The message played (its recording took over) or was dropped.</summary>
    public void Delete(uint burstId, byte channel)
    {
        File.Delete(PathFor(burstId, channel, RecordingFormat.Extension));
        File.Delete(PathFor(burstId, channel, ".wav"));
        File.Delete(PathFor(burstId, channel, ".talker"));
    }

    /// <summary>
    /// Every message still waiting, oldest burst first, or only those of <paramref name="channels"/> (a gateway sharing
    /// the folder loads a channel's when it comes to own it) but the <paramref name="known"/> bursts; unreadable files
    /// are skipped (and reported).
    /// </summary>
    public List<QueuedMessageFile> Load(Action<string> unreadable, IReadOnlyCollection<byte>? channels = null, IReadOnlySet<uint>? known = null)
    {
        var messages = new List<QueuedMessageFile>();
        foreach (var path in Files())
        {
            var name = Path.GetFileNameWithoutExtension(path).Split("-ch");
            uint burstId = 0;
            byte channel = 0;
            var named = name.Length == 2 && uint.TryParse(name[0], out burstId) && byte.TryParse(name[1], out channel);
            if (named && (channels is not null && !channels.Contains(channel) || known is not null && known.Contains(burstId)))
            {
                continue;
            }

            var talkerPath = Path.ChangeExtension(path, ".talker");
            RecordedAudio? audio = null;
            try
            {
                audio = reader.Read(path);
            }
            catch (InvalidDataException)
            {
            }

            if (!named || !File.Exists(talkerPath) || audio is null || !audio.Finished)
            {
                unreadable(path);
                continue;
            }

            messages.Add(new QueuedMessageFile(burstId, channel, audio.SampleRate, File.ReadAllText(talkerPath, Encoding.UTF8), audio.BlockList()));
        }

        return messages.OrderBy(m => m.BurstId).ToList();
    }

    /// <summary>The highest burst id a waiting message holds (0 when none): ids from there on are taken.</summary>
    public uint HighestBurstId() =>
        Files().Select(path => uint.TryParse(Path.GetFileNameWithoutExtension(path).Split("-ch")[0], out var id) ? id : 0).DefaultIfEmpty(0u).Max();

    private IEnumerable<string> Files() =>
        Directory.Exists(_folder)
            ? Directory.EnumerateFiles(_folder, "*" + RecordingFormat.Extension).Concat(Directory.EnumerateFiles(_folder, "*.wav"))
            : [];

    private string PathFor(uint burstId, byte channel, string extension) => Path.Combine(_folder, $"{burstId:D8}-ch{channel}{extension}");
}
