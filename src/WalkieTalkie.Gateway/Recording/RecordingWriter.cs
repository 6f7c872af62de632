using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// Records bursts off the engine's loop: each call returns at once and its work runs on the <see cref="StorageWorker"/>,
/// in order (the index row, the file's frames, the finish). When a recording is finished and durable, the observers
/// hear <see cref="IGatewayObserver.OnBurstRecorded"/> (the Matrix bridge sends it on from there). A channel taken over
/// from another gateway gets its unfinished recordings recovered here too (<see cref="RecoverTakenOver"/>), in the same
/// order as this gateway's own recordings, so that it never mistakes one of its own for another's.
/// </summary>
public sealed class RecordingWriter(StorageWorker worker, IRecordingIndex index, RecordingRecovery recovery, IOptions<GatewayOptions> options,
    GatewayObservers observers, RecordingKey key, TimeProvider time, ILogger<RecordingWriter> logger)
{
    private static readonly Action<object?, object?> AppendWork = static (r, p) => ((BurstRecording)r!).WriteFrame((byte[])p!);
    private static readonly Action<object?, object?> FlushWork = static (r, _) => ((BurstRecording)r!).Recorder!.FlushToDisk();
    private static readonly Action<object?, object?> GrowWork = static (r, _) => ((BurstRecording)r!).Recorder!.GrowAhead();

    private readonly string _root = options.Value.ResolveRecordingsDirectory();

    // The bursts this gateway started and has not finished yet (storage worker only).
    private readonly HashSet<uint> _writing = [];

    private bool _notMappedLogged;

    /// <summary>
    /// Starts a burst's recording (its index row, then its file, with room for <paramref name="maxTalkSeconds"/> when
    /// known); a private reply names its one listener.
    /// </summary>
    public BurstRecording Start(uint burstId, byte channel, Talker talker, DateTimeOffset startedAt, int sampleRate, string privateTo = "",
        int maxTalkSeconds = 0)
    {
        var recording = new BurstRecording(burstId, channel, RecordingPaths.For(_root, channel, burstId, talker.FileName, startedAt), sampleRate,
            startedAt);
        worker.Post(() =>
        {
            _writing.Add(burstId);
            index.Start(burstId, channel, talker.Key, startedAt.ToUnixTimeMilliseconds(), recording.Path, sampleRate, privateTo);
            try
            {
                recording.Recorder = new BurstRecorder(recording, OpenFile(recording, maxTalkSeconds), key, time, logger);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                recording.Unrecorded = true;
                logger.LogError("Burst {BurstId} on channel {Channel} is not recorded: {Error}", burstId, channel, e.Message);
            }
        });
        return recording;
    }

    /// <summary>Notes the block layout of the burst's first frame.</summary>
    public void SetLayout(BurstRecording recording, int blockBytes, int blocksPerFrame) =>
        worker.Post(() => index.SetLayout(recording.BurstId, blockBytes, blocksPerFrame));

    /// <summary>
    /// Appends a frame (already checked by the engine); allocates nothing. Into the file's mapping on this thread when
    /// it can (<see cref="BurstRecording"/>), which wakes the storage worker only to force the file to disk every
    /// <see cref="BurstRecorder.FlushToDiskEvery"/> frames and to grow it; else handed to the storage worker.
    /// </summary>
    public void Append(BurstRecording recording, byte[] frame)
    {
        if (recording.Unrecorded)
        {
            return;
        }

        if (!recording.TryAppendInMemory(frame))
        {
            recording.HandingOver();
            worker.Post(AppendWork, recording, frame);
            return;
        }

        if (recording.FlushDue())
        {
            worker.Post(FlushWork, recording, null);
        }

        if (recording.GrowDue())
        {
            worker.Post(GrowWork, recording, null);
        }
    }

    // Storage worker: the burst's file, mapped where it can be (Linux, its space reserved), else written through a stream.
    private IRecordingFile OpenFile(BurstRecording recording, int maxTalkSeconds)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return MappedRecordingFile.Create(recording.Path, RecordingSpace.For(recording.SampleRate, maxTalkSeconds));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                if (!_notMappedLogged)
                {
                    _notMappedLogged = true;
                    logger.LogWarning("Burst {BurstId} on channel {Channel}: its recording is written by the storage worker, not mapped into memory " +
                        "({Error}); so are later bursts that cannot be mapped (not logged again)", recording.BurstId, recording.Channel, e.Message);
                }
            }
        }

        return StreamRecordingFile.Create(recording.Path);
    }

    /// <summary>
    /// Finishes the file and its row; <paramref name="framesSent"/> is what the talker says it sent, when it said. The
    /// task ends when both are final (a failure is logged, and the task still ends).
    /// </summary>
    public Task FinishAsync(BurstRecording recording, int? framesSent, EndReason reason) => worker.RunAsync(() =>
    {
        _writing.Remove(recording.BurstId);
        var recorder = recording.Recorder;
        if (recorder is not null)
        {
            if (framesSent is { } sent)
            {
                recorder.NoteFramesSent(sent);
            }

            recorder.Finish();
            index.Finish(recording.BurstId, recorder.DurationMs, recorder.FramesReceived, recorder.FramesLost, recorder.BlockBytes,
                complete: recorder.FramesNotRecorded == 0, (int)reason);
        }
        else
        {
            index.Finish(recording.BurstId, 0, 0, 0, 0, complete: false, (int)reason);
        }

        if (index.Get(recording.BurstId) is { } finished)
        {
            observers.OnBurstRecorded(finished);
        }
    }).ContinueWith(t =>
    {
        if (t.Exception is { } e)
        {
            logger.LogError(e.InnerException, "Burst {BurstId} on channel {Channel}: its recording could not be finished", recording.BurstId,
                recording.Channel);
        }
    }, TaskScheduler.Default);

    /// <summary>
    /// This gateway has just come to own <paramref name="channel"/>: the recordings its previous owner left unfinished
    /// (it died mid-burst) are recovered, marked incomplete, and the observers hear of each as of a finished one (the
    /// Matrix bridge sends it on, once: it keeps what it sent by burst id).
    /// </summary>
    public void RecoverTakenOver(byte channel) => worker.Post(() =>
    {
        foreach (var recovered in recovery.RecoverChannel(channel, _writing.Contains))
        {
            observers.OnBurstRecorded(recovered);
        }
    });
}
