namespace WalkieTalkie.Gateway.Floor;

/// <summary>What the floor needs to know about a request, looked up by the engine from the registry.</summary>
/// <param name="IsMember">The channel exists and the badge belongs to it.</param>
/// <param name="MayTalk">The badge holds accepted send and receive permits on the channel.</param>
/// <param name="IsPriority">The badge is flagged priority (a parent, a supervisor).</param>
/// <param name="Emergency">The badge asked with the emergency flag (a long press).</param>
/// <param name="MaxTalkSeconds">The channel's talk limit.</param>
/// <param name="Sos">The badge has an open emergency (SOS) and asked with the emergency flag: it cuts anyone, and nobody cuts it.</param>
public readonly record struct FloorRequestContext(bool IsMember, bool MayTalk, bool IsPriority, bool Emergency, int MaxTalkSeconds, bool Sos = false);
