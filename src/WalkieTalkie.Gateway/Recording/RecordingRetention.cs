using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// Deletes recordings kept longer than their channel's retention (<see cref="ChannelRecord.RetentionDays"/>, 30 days
/// unless set; 0 keeps them for good), in batches. A burst the Matrix bridge has not delivered to its room is kept
/// however old (the room is the family's archive; it goes once delivered). A burst still in a badge's unplayed queue
/// is not kept past its retention: it leaves the queue with its file (the promise is how long voices are kept, not
/// that every badge hears every burst).
/// </summary>
public sealed class RecordingRetention(IRecordingRetention store, TimeProvider time, ILogger<RecordingRetention> logger)
{
    /// <summary>Recordings one call deletes at most (the storage worker has frames to write between calls).</summary>
    public const int Batch = 100;

    /// <summary>Deletes up to <see cref="Batch"/> expired recordings; returns how many (call again while it returns <see cref="Batch"/>).</summary>
    public int PruneBatch()
    {
        var expired = store.Expired(time.GetUtcNow(), Batch);
        foreach (var recording in expired)
        {
            try
            {
                File.Delete(recording.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogError("Recording of burst {BurstId} ({Path}) could not be deleted, tried again later: {Error}", recording.BurstId,
                    recording.Path, e.Message);
                continue;
            }

            store.MarkPruned(recording.BurstId);
        }

        if (expired.Count > 0)
        {
            logger.LogInformation("Deleted {Count} recordings kept longer than their channel's retention (oldest: burst {BurstId})", expired.Count,
                expired[0].BurstId);
        }

        return expired.Count;
    }

    /// <summary>Deletes every expired recording now (the CLI's <c>walkie recording prune</c>).</summary>
    public int PruneAll()
    {
        var total = 0;
        int count;
        do
        {
            count = PruneBatch();
            total += count;
        }
        while (count == Batch);

        return total;
    }
}
