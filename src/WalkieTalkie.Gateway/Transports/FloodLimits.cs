namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// How much a badge may send, in two budgets (sustained messages a second and a burst allowance each): audio, and
/// control and state, so that a holder's audio flood never starves its own floor-release.
/// </summary>
public sealed record FloodLimits(double AudioPerSecond, double AudioBurst, double ControlPerSecond, double ControlBurst);
