namespace WalkieTalkie.Gateway.Transports;

/// <summary>How much a badge may send: sustained messages a second, a burst allowance, and how often its drops are logged.</summary>
public sealed record FloodLimits(double MessagesPerSecond, double Burst, double LogIntervalSeconds);
