namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// A room message a badge's device delivered could not be written to the incoming queue's table (the database is
/// away). Thrown into the device's sync handling, so that its sync answer is not committed and comes again: nothing is
/// lost, the message is stored once the database is back.
/// </summary>
public sealed class IncomingNotStoredException(string message, Exception inner) : Exception(message, inner);
