namespace WalkieTalkie.Gateway.Demo;

/// <summary>One line of the demo's conversation: who says it, and what.</summary>
public sealed record DemoLine(string BadgeId, string Text);
