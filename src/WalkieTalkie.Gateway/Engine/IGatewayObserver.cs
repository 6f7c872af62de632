using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Engine;

/// <summary>
/// What the engine decides and sees, pushed as it happens: the gateway's counterpart of the badge's
/// <c>IBadgeObserver</c>. The status tables, the Matrix bridge and live views listen here instead of polling.
/// </summary>
/// <remarks>
/// Called on the engine's loop (but <see cref="OnBurstRecorded"/>, on the storage worker): an observer returns at once
/// and queues any real work. One that throws is logged and does not keep the others from the report.
/// </remarks>
public interface IGatewayObserver
{
    /// <summary>A floor decision: granted, denied, ended, with its reason.</summary>
    void OnFloorDecision(FloorDecisionRecord decision)
    {
    }

    /// <summary>A burst started (a badge was granted the floor, or a voice message began to play).</summary>
    void OnBurstStarted(BurstInfo burst)
    {
    }

    /// <summary>
    /// A frame of a burst started here (a badge's or a voice message's, not one relayed from another site), as it goes
    /// to the listeners: the same array, never to be changed. Called for every frame: an observer only queues it.
    /// </summary>
    void OnBurstFrame(byte channel, uint burstId, byte[] frame)
    {
    }

    /// <summary>A burst ended; its recording is finished a moment later (<see cref="OnBurstRecorded"/>).</summary>
    void OnBurstEnded(BurstInfo burst, EndReason reason)
    {
    }

    /// <summary>A burst's recording is finished and durable, and its row final.</summary>
    void OnBurstRecorded(RecordingRecord recording)
    {
    }

    /// <summary>A badge's presence changed (state, battery, signal, firmware, last seen).</summary>
    void OnPresenceChanged(PresenceRecord presence)
    {
    }

    /// <summary>A badge's battery fell to the low-battery threshold (reported once per discharge).</summary>
    void OnLowBattery(string badgeId, int percent)
    {
    }

    /// <summary>A badge opened an emergency (SOS); one found open at a restart was announced before and is not again.</summary>
    void OnEmergencyOpened(EmergencyInfo emergency)
    {
    }

    /// <summary>An emergency was cancelled (<paramref name="by"/>: "badge" or "admin").</summary>
    void OnEmergencyClosed(string badgeId, string by)
    {
    }

    /// <summary>A badge reported <c>played</c> for a burst, after its unplayed list was updated.</summary>
    void OnBurstPlayed(string badgeId, uint burstId)
    {
    }
}
