using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// At start-up, finds bursts the gateway never finished (it was killed mid-burst), cuts each file to whole
/// blocks, writes its header from the file's length, and records what survived, marked incomplete.
/// </summary>
public sealed class RecordingRecovery(IRecordingIndex recordings, ILogger<RecordingRecovery> logger)
{
    public int Recover()
    {
        var count = 0;
        foreach (var row in recordings.Unfinished())
        {
            var (blocks, blockBytes, durationMs) = FixFile(row);
            var perFrame = Math.Max(1, recordings.BlocksPerFrame(row.BurstId));
            recordings.Finish(row.BurstId, durationMs, blocks / perFrame, 0, blockBytes, complete: false, endReason: 0);
            logger.LogWarning("Recovered burst {BurstId} of {Badge} on channel {Channel}: {Blocks} blocks, {DurationMs} ms, marked incomplete",
                row.BurstId, row.BadgeId, row.Channel, blocks, durationMs);
            count++;
        }

        return count;
    }

    private static (int Blocks, int BlockBytes, long DurationMs) FixFile(RecordingRecord row)
    {
        if (!File.Exists(row.Path))
        {
            return (0, row.BlockBytes, 0);
        }

        using var file = new FileStream(row.Path, FileMode.Open, FileAccess.ReadWrite);
        var headerBytes = WavWriter.ImaAdpcmHeaderBytes;
        var head = new byte[headerBytes];
        var read = file.Read(head, 0, headerBytes);
        var info = new WavInfo();
        if (read < headerBytes || WavReader.Read(head, read, info) != WavError.Ok || !info.IsImaAdpcm || info.BlockAlign <= 0)
        {
            // Killed before the first frame: nothing to keep but an empty, valid file.
            file.SetLength(0);
            var empty = new byte[headerBytes];
            WavWriter.WriteImaAdpcmHeader(empty, 0, row.SampleRate, 164, 0, 0);
            file.Position = 0;
            file.Write(empty);
            return (0, 164, 0);
        }

        var blockBytes = info.BlockAlign;
        var blocks = (int)((file.Length - headerBytes) / blockBytes);
        file.SetLength(headerBytes + (long)blocks * blockBytes);
        var samples = blocks * ImaAdpcm.SamplesPerBlockFor(blockBytes);
        var header = new byte[headerBytes];
        WavWriter.WriteImaAdpcmHeader(header, 0, row.SampleRate, blockBytes, blocks, samples);
        file.Position = 0;
        file.Write(header);
        file.Flush(true);
        return (blocks, blockBytes, (long)samples * 1000 / row.SampleRate);
    }
}
