namespace WalkieTalkie.Protocol.Wire
{
    /// <summary>
    /// UTF-8 for the strings in control messages (names, firmware versions). mscorlib 1.17 has no Encoding, so
    /// this is written out; it rejects what the standard rejects (overlong forms, surrogates, bytes past U+10FFFF).
    /// </summary>
    public static class Utf8
    {
        /// <summary>How many bytes <paramref name="text"/> takes in UTF-8; a lone surrogate counts as U+FFFD.</summary>
        public static int GetByteCount(string text)
        {
            var count = 0;
            for (var i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c < 0x80)
                {
                    count += 1;
                }
                else if (c < 0x800)
                {
                    count += 2;
                }
                else if (IsHighSurrogate(c) && i + 1 < text.Length && IsLowSurrogate(text[i + 1]))
                {
                    count += 4;
                    i++;
                }
                else
                {
                    count += 3;
                }
            }

            return count;
        }

        /// <summary>Writes <paramref name="text"/> at <paramref name="offset"/>; returns the bytes written.</summary>
        public static int Encode(string text, byte[] buffer, int offset)
        {
            var at = offset;
            for (var i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c < 0x80)
                {
                    buffer[at++] = (byte)c;
                    continue;
                }

                if (c < 0x800)
                {
                    buffer[at++] = (byte)(0xC0 | (c >> 6));
                    buffer[at++] = (byte)(0x80 | (c & 0x3F));
                    continue;
                }

                if (IsHighSurrogate(c) && i + 1 < text.Length && IsLowSurrogate(text[i + 1]))
                {
                    var code = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                    i++;
                    buffer[at++] = (byte)(0xF0 | (code >> 18));
                    buffer[at++] = (byte)(0x80 | ((code >> 12) & 0x3F));
                    buffer[at++] = (byte)(0x80 | ((code >> 6) & 0x3F));
                    buffer[at++] = (byte)(0x80 | (code & 0x3F));
                    continue;
                }

                if (IsHighSurrogate(c) || IsLowSurrogate(c))
                {
                    c = 0xFFFD;
                }

                buffer[at++] = (byte)(0xE0 | (c >> 12));
                buffer[at++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                buffer[at++] = (byte)(0x80 | (c & 0x3F));
            }

            return at - offset;
        }

        /// <summary>Decodes <paramref name="length"/> bytes; null when they are not valid UTF-8.</summary>
        public static string Decode(byte[] buffer, int offset, int length)
        {
            var chars = new char[length];
            var count = Scan(buffer, offset, length, chars);
            return count < 0 ? null : new string(chars, 0, count);
        }

        /// <summary>True when the bytes are valid UTF-8; reads them without decoding or allocating.</summary>
        public static bool IsValid(byte[] buffer, int offset, int length)
        {
            return Scan(buffer, offset, length, null) >= 0;
        }

        // Checks the bytes and, when chars is not null, writes their UTF-16 there; returns the chars, or -1.
        private static int Scan(byte[] buffer, int offset, int length, char[] chars)
        {
            var count = 0;
            var at = offset;
            var end = offset + length;
            while (at < end)
            {
                int b = buffer[at++];
                if (b < 0x80)
                {
                    if (chars != null)
                    {
                        chars[count] = (char)b;
                    }

                    count++;
                    continue;
                }

                int extra;
                int code;
                int minimum;
                if ((b & 0xE0) == 0xC0)
                {
                    extra = 1;
                    code = b & 0x1F;
                    minimum = 0x80;
                }
                else if ((b & 0xF0) == 0xE0)
                {
                    extra = 2;
                    code = b & 0x0F;
                    minimum = 0x800;
                }
                else if ((b & 0xF8) == 0xF0)
                {
                    extra = 3;
                    code = b & 0x07;
                    minimum = 0x10000;
                }
                else
                {
                    return -1;
                }

                if (end - at < extra)
                {
                    return -1;
                }

                for (var k = 0; k < extra; k++)
                {
                    int next = buffer[at++];
                    if ((next & 0xC0) != 0x80)
                    {
                        return -1;
                    }

                    code = (code << 6) | (next & 0x3F);
                }

                if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
                {
                    return -1;
                }

                if (code >= 0x10000)
                {
                    code -= 0x10000;
                    if (chars != null)
                    {
                        chars[count] = (char)(0xD800 + (code >> 10));
                        chars[count + 1] = (char)(0xDC00 + (code & 0x3FF));
                    }

                    count += 2;
                }
                else
                {
                    if (chars != null)
                    {
                        chars[count] = (char)code;
                    }

                    count++;
                }
            }

            return count;
        }

        private static bool IsHighSurrogate(int c)
        {
            return c >= 0xD800 && c <= 0xDBFF;
        }

        private static bool IsLowSurrogate(int c)
        {
            return c >= 0xDC00 && c <= 0xDFFF;
        }
    }
}
