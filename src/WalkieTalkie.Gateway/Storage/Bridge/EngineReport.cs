namespace WalkieTalkie.Gateway.Storage.Bridge;

/// <summary>
/// One report of a gateway's engine for the Matrix bridge, as handed over between gateways sharing a database
/// (<see cref="IEngineReportStore"/>): what happened (<see cref="Kind"/>, one of <see cref="EngineReportKinds"/>), to
/// which badge, and the report's own values.
/// </summary>
/// <param name="Id">The row's number, in the order the reports were written (0 before it is written).</param>
/// <param name="Kind">What the engine reported.</param>
/// <param name="BadgeId">The badge it is about.</param>
/// <param name="Text">The emergency's zone, who closed it, or the badge's state ("" when the kind has none).</param>
/// <param name="Number">The battery's percentage or the played burst's id (0 when the kind has none).</param>
/// <param name="AtMs">When the engine reported it (an emergency: when it opened): what keys the bridge's messages, so
/// that a report handed over twice is posted once.</param>
/// <param name="GatewayId">The gateway that wrote it (for the logs).</param>
public sealed record EngineReport(long Id, string Kind, string BadgeId, string Text, long Number, long AtMs, string GatewayId);

/// <summary>The kinds of <see cref="EngineReport"/>, as stored.</summary>
public static class EngineReportKinds
{
    /// <summary>An emergency opened: <c>Text</c> the zone, <c>Number</c> the battery, <c>AtMs</c> when it opened.</summary>
    public const string EmergencyOpened = "emergency-opened";

    /// <summary>An emergency closed: <c>Text</c> who closed it ("badge" or "admin").</summary>
    public const string EmergencyClosed = "emergency-closed";

    /// <summary>A badge's battery fell low: <c>Number</c> the percentage.</summary>
    public const string LowBattery = "low-battery";

    /// <summary>A badge's presence changed: <c>Text</c> its state as the engine reports it.</summary>
    public const string Presence = "presence";

    /// <summary>A badge played a burst: <c>Number</c> the burst's id.</summary>
    public const string Played = "played";

    /// <summary>A burst's recording is finished: <c>Number</c> the burst's id (the bridge's feeds then have something to send).</summary>
    public const string Recorded = "recorded";
}
