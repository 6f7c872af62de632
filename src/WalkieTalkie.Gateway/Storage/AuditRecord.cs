namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// One administrative change: when (Unix milliseconds), who made it (a web account, or the operating-system user of
/// the CLI), through what (<c>cli</c> or <c>console</c>), the action (<c>badge.add</c>), its target and what changed.
/// </summary>
public sealed record AuditRecord(long AtMs, string Actor, string Via, string Action, string Target, string Detail);
