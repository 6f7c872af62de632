namespace WalkieTalkie.WebWalkie;

/// <summary>The console's words, in <c>Resources/ConsoleStrings.resx</c> (a translation is a <c>ConsoleStrings.{culture}.resx</c> beside it).</summary>
public sealed class ConsoleStrings;
