namespace WalkieTalkie.Protocol
{
    /// <summary>Why a payload was refused. Parsers return one of these and never throw.</summary>
    public enum ProtocolError : byte
    {
        None = 0,

        /// <summary>The payload ends before a field it must hold.</summary>
        Truncated = 1,

        /// <summary>The version byte is not one this code speaks.</summary>
        UnknownVersion = 2,

        /// <summary>The type byte names no message of this version, or a message not allowed where it arrived.</summary>
        UnknownType = 3,

        /// <summary>The payload, or a string or list in it, is longer than the protocol allows.</summary>
        Oversized = 4,

        /// <summary>A field holds a value the protocol does not allow (a reserved bit set, invalid UTF-8, a bad length).</summary>
        Malformed = 5,

        /// <summary>Bytes follow the end of the message.</summary>
        TrailingBytes = 6,

        /// <summary>The caller's buffer is too small for the message being written.</summary>
        BufferTooSmall = 7,
    }
}
