using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Recording;

namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// The engine's way to storage. Every call returns at once: writes are queued on the <see cref="StorageWorker"/>, in
/// order, and reads come back as tasks that the engine awaits only where it sends their answer (a badge's unplayed
/// list, a replay, the result of a permit accept). The engine's loop itself never touches a database or a file.
/// </summary>
public sealed class EngineStorage(StorageWorker worker, IRegistryReader registry, IPermitStore permitStore, IUnplayedStore unplayed,
    IRecordingIndex recordings, RecordingWriter recordingWriter, RecordingReader recordingReader, QueuedMessageFiles queuedMessages,
    IQuietStore quiet, IZoneStore zones, IEmergencyStore emergencies, ILastTalkerStore lastTalkers)
{
    /// <summary>Burst recordings (index rows and files).</summary>
    public RecordingWriter Recordings => recordingWriter;

    public Task<RegistrySnapshot> LoadRegistryAsync() => worker.RunAsync(registry.Load);

    public Task<byte?> AcceptPermitsAsync(string badgeId, byte channel, byte permits) =>
        worker.RunAsync(() => permitStore.Accept(badgeId, channel, permits));

    public Task<byte?> WithdrawPermitsAsync(string badgeId, byte channel, byte permits) =>
        worker.RunAsync(() => permitStore.Withdraw(badgeId, channel, permits));

    public void MarkOfferSent(string badgeId, byte channel) => worker.Post(() => permitStore.MarkOfferSent(badgeId, channel));

    /// <summary>A badge's own do-not-disturb toggle (a failure, such as the badge removed meanwhile, is logged).</summary>
    public void SetDoNotDisturb(string badgeId, bool on) => worker.Post(() => quiet.SetDoNotDisturb(badgeId, on));

    /// <summary>A badge's SOS opened its emergency (kept so that it survives a restart).</summary>
    /// <summary>Keeps the badge's emergency; answers the registry version that holds it.</summary>
    public Task<long> OpenEmergencyAsync(string badgeId, long atMs) => worker.RunAsync(() => emergencies.Open(badgeId, atMs));

    /// <summary>The badge cancelled its own emergency (an admin's cancel is already in the registry).</summary>
    public void CloseEmergency(string badgeId) => worker.Post(() => emergencies.Close(badgeId));

    /// <summary>The access point a badge reported (kept only where zones are on).</summary>
    public void SetLocation(string badgeId, string bssid, int rssi, long atMs) => worker.Post(() => zones.SetLocation(badgeId, bssid, rssi, atMs));

    /// <summary>The zone of the access point the badge reported last ("" when none).</summary>
    public Task<string> ZoneOfAsync(string badgeId) =>
        worker.RunAsync(() => zones.Locations().FirstOrDefault(l => l.BadgeId == badgeId)?.Zone ?? "");

    /// <summary>Zones are off: nothing of where badges were is kept.</summary>
    public void ClearLocations() => worker.Post(zones.ClearLocations);

    /// <summary>Who the badge last heard on the channel (what its private reply answers).</summary>
    public void SetLastTalker(string badgeId, byte channel, string talkerKey, string? matrixUserId, long atMs) =>
        worker.Post(() => lastTalkers.Set(badgeId, channel, talkerKey, matrixUserId, atMs));

    public Task<IReadOnlyList<LastTalkerRecord>> LastTalkersAsync() => worker.RunAsync(lastTalkers.All);

    public void QueueUnplayed(string badgeId, uint burstId, long nowMs) => worker.Post(() => unplayed.Queue(badgeId, burstId, nowMs));

    public void MarkPlayed(string badgeId, uint burstId) => worker.Post(() => unplayed.MarkPlayed(badgeId, burstId));

    public Task<IReadOnlyList<RecordingRecord>> UnplayedAsync(string badgeId) => worker.RunAsync(() => unplayed.List(badgeId));

    /// <summary>What a <c>play-request</c> needs to know: the recording, whether it waits in the badge's queue, whether its file is there.</summary>
    public Task<ReplayCheck> CheckReplayAsync(string badgeId, uint burstId) => worker.RunAsync(() =>
    {
        var recording = recordings.Get(burstId);
        return new ReplayCheck(recording, recording is not null && unplayed.Contains(badgeId, burstId),
            recording is not null && File.Exists(recording.Path));
    });

    /// <summary>A recording's frames for a replay, cut as it was sent.</summary>
    public Task<List<byte[]>> ReplayFramesAsync(RecordingRecord recording) => worker.RunAsync(() =>
        BurstFrames.FromRecording(recordingReader, recording.Path, recording.Channel, recording.BurstId, recordings.BlocksPerFrame(recording.BurstId)));

    /// <summary>Keeps a voice message waiting for the floor; the task ends once it is on disk.</summary>
    public Task SaveQueuedAsync(uint burstId, byte channel, int sampleRate, string talkerName, IReadOnlyList<byte[]> blocks) =>
        worker.RunAsync(() => queuedMessages.Save(burstId, channel, sampleRate, talkerName, blocks));

    public void DeleteQueued(uint burstId, byte channel) => worker.Post(() => queuedMessages.Delete(burstId, channel));

    /// <summary>The voice messages waiting on disk for <paramref name="channels"/>' floors, oldest burst first, but those <paramref name="known"/>.</summary>
    public Task<List<QueuedMessageFile>> LoadQueuedAsync(IReadOnlyCollection<byte> channels, Action<string> unreadable, IReadOnlySet<uint>? known = null) =>
        worker.RunAsync(() => queuedMessages.Load(unreadable, channels, known));
}

/// <summary>A recording asked for by <c>play-request</c>, as storage knows it.</summary>
public sealed record ReplayCheck(RecordingRecord? Recording, bool InQueue, bool FileExists);
