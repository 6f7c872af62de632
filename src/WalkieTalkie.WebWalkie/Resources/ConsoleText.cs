namespace WalkieTalkie.WebWalkie.Resources;

/// <summary>The console's strings (<c>ConsoleText.resx</c>, English; a translation is a <c>ConsoleText.{culture}.resx</c> beside it), read through <c>IStringLocalizer&lt;ConsoleText&gt;</c>.</summary>
public sealed class ConsoleText;
