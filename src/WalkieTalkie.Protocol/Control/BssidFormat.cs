namespace WalkieTalkie.Protocol.Control
{
    /// <summary>An access point's BSSID: six bytes, written as six pairs of hex digits separated by ':' or '-'.</summary>
    public static class BssidFormat
    {
        public const int Length = 6;

        /// <summary>
        /// Reads "aa:bb:cc:dd:ee:ff" (either case, ':' or '-' between the pairs, or none: "aabbccddeeff") into
        /// <paramref name="into"/>; false for anything else.
        /// </summary>
        public static bool TryParse(string text, byte[] into)
        {
            if (text == null || into == null || into.Length < Length || (text.Length != Length * 3 - 1 && text.Length != Length * 2))
            {
                return false;
            }

            var stride = text.Length == Length * 2 ? 2 : 3;
            for (var i = 0; i < Length; i++)
            {
                var high = HexValue(text[i * stride]);
                var low = HexValue(text[i * stride + 1]);
                if (high < 0 || low < 0 || (stride == 3 && i < Length - 1 && text[i * 3 + 2] != ':' && text[i * 3 + 2] != '-'))
                {
                    return false;
                }

                into[i] = (byte)(high * 16 + low);
            }

            return true;
        }

        /// <summary>"aa:bb:cc:dd:ee:ff", lower case.</summary>
        public static string Format(byte[] bssid)
        {
            const string digits = "0123456789abcdef";
            var chars = new char[Length * 3 - 1];
            for (var i = 0; i < Length; i++)
            {
                chars[i * 3] = digits[bssid[i] >> 4];
                chars[i * 3 + 1] = digits[bssid[i] & 0x0F];
                if (i < Length - 1)
                {
                    chars[i * 3 + 2] = ':';
                }
            }

            return new string(chars, 0, chars.Length);
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        }
    }
}
