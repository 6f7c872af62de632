using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// At start-up, finds bursts the gateway never finished (it was killed mid-burst), keeps each file's authenticated
/// prefix (whole chunks up to where it was cut), writes it again properly ended, and records what survived, marked
/// incomplete.
/// </summary>
public sealed class RecordingRecovery(IRecordingIndex recordings, RecordingReader reader, RecordingKey key, ILogger<RecordingRecovery> logger)
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

    private (int Blocks, int BlockBytes, long DurationMs) FixFile(RecordingRecord row)
    {
        if (!File.Exists(row.Path))
        {
            return (0, row.BlockBytes, 0);
        }

        var file = File.ReadAllBytes(row.Path);
        if (!RecordingFormat.TryReadHeader(file, out _, out _) && !file.AsSpan().StartsWith("RIFF"u8))
        {
            // Killed before the first frame: nothing to keep but an empty, valid recording.
            RecordingFileWriter.WriteFile(row.Path, key, row.SampleRate, 164, []);
            return (0, 164, 0);
        }

        RecordedAudio audio;
        try
        {
            audio = reader.Read(file);
        }
        catch (InvalidDataException e)
        {
            // Not this key's (or damaged from its first chunk): left as it is for whoever has the right key.
            logger.LogError("Burst {BurstId}: its recording {Path} cannot be opened and is left as it is: {Error}", row.BurstId, row.Path, e.Message);
            return (0, row.BlockBytes, 0);
        }

        RecordingFileWriter.WriteFile(row.Path, key, audio.SampleRate, audio.BlockBytes, audio.Blocks);
        return (audio.BlockCount, audio.BlockBytes, audio.DurationMs);
    }
}
