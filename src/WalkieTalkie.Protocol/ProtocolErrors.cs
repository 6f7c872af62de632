namespace WalkieTalkie.Protocol
{
    /// <summary>Sentences for <see cref="ProtocolError"/>: on nanoFramework an enum prints as a number.</summary>
    public static class ProtocolErrors
    {
        public static string Describe(ProtocolError error)
        {
            switch (error)
            {
                case ProtocolError.None: return "no error";
                case ProtocolError.Truncated: return "truncated: the payload ends before a field it must hold";
                case ProtocolError.UnknownVersion: return "unknown protocol version";
                case ProtocolError.UnknownType: return "unknown message type";
                case ProtocolError.Oversized: return "oversized: longer than the protocol allows";
                case ProtocolError.Malformed: return "malformed: a field holds a value the protocol does not allow";
                case ProtocolError.TrailingBytes: return "trailing bytes after the end of the message";
                case ProtocolError.BufferTooSmall: return "the buffer is too small for the message";
                default: return "unknown error";
            }
        }
    }
}
