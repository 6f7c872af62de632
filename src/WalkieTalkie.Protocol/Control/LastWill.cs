namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// The MQTT last will a badge leaves, retained, on <c>up/state</c>: the ASCII text <c>offline</c>. It is text,
    /// not a binary <see cref="BadgeState"/>, because nanoFramework's M2Mqtt takes the will as a string, and a
    /// nanoFramework string ends at the first zero byte. The gateway also accepts a binary Offline state there.
    /// </summary>
    public static class LastWill
    {
        /// <summary>The will's payload, as text.</summary>
        public const string Text = "offline";

        /// <summary>True when the payload is exactly the will's text.</summary>
        public static bool Matches(byte[] payload, int offset, int length)
        {
            if (payload == null || offset < 0 || length != Text.Length || offset > payload.Length - length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (payload[offset + i] != Text[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The will's payload as bytes, for clients that take the will as bytes.</summary>
        public static byte[] ToBytes()
        {
            var bytes = new byte[Text.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)Text[i];
            }

            return bytes;
        }
    }
}
