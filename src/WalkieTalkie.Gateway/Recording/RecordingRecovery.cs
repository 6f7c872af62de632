using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// Finds bursts whose gateway never finished them (it was killed mid-burst), keeps each file's authenticated prefix
/// (whole chunks up to where it was cut), writes it again properly ended, and records what survived, marked
/// incomplete: at start-up for a gateway alone on its database (<see cref="Recover()"/>), and for each channel a
/// gateway takes over from another when several share one (<see cref="RecoverChannel"/>).
/// </summary>
public sealed class RecordingRecovery(IRecordingIndex recordings, RecordingReader reader, RecordingKey key, ILogger<RecordingRecovery> logger)
{
    /// <summary>Recovers every unfinished recording (none can still be written: this gateway is the database's only one).</summary>
    public int Recover()
    {
        var unfinished = recordings.Unfinished();
        foreach (var row in unfinished)
        {
            RecoverRow(row);
        }

        return unfinished.Count;
    }

    /// <summary>
    /// Recovers the unfinished recordings of <paramref name="channel"/>, which this gateway has just come to own: their
    /// writer was its previous owner, which stopped writing when it lost the channel. Those this gateway is writing
    /// itself (<paramref name="recordingHere"/>) are left alone. Answers the recordings as they now are.
    /// </summary>
    public IReadOnlyList<RecordingRecord> RecoverChannel(byte channel, Func<uint, bool> recordingHere)
    {
        var recovered = new List<RecordingRecord>();
        foreach (var row in recordings.Unfinished())
        {
            if (row.Channel == channel && !recordingHere(row.BurstId))
            {
                RecoverRow(row);
                if (recordings.Get(row.BurstId) is { } now)
                {
                    recovered.Add(now);
                }
            }
        }

        return recovered;
    }

    private void RecoverRow(RecordingRecord row)
    {
        var (blocks, blockBytes, durationMs) = FixFile(row);
        var perFrame = Math.Max(1, recordings.BlocksPerFrame(row.BurstId));
        recordings.Finish(row.BurstId, durationMs, blocks / perFrame, 0, blockBytes, complete: false, endReason: 0);
        logger.LogWarning("Recovered burst {BurstId} of {Badge} on channel {Channel}: {Blocks} blocks, {DurationMs} ms, marked incomplete",
            row.BurstId, row.BadgeId, row.Channel, blocks, durationMs);
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
            RecordingFileWriter.WriteFile(row.Path, key, row.SampleRate, ImaAdpcm.DefaultBlockBytes, []);
            return (0, ImaAdpcm.DefaultBlockBytes, 0);
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
