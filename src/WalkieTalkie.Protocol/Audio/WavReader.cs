namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// Reads the header of a mono WAV file held in a byte array: 16-bit PCM (also as WAVE_FORMAT_EXTENSIBLE
    /// with a PCM subformat) or IMA ADPCM. Chunks it does not need (LIST, cue, ...) are skipped. A data size
    /// of 0, or one running past the end of the file, means the header was never patched (a recording cut
    /// short): the data is then taken to run to the end of the file, in whole blocks.
    /// </summary>
    public static class WavReader
    {
        private const int WaveFormatExtensible = 0xFFFE;

        // The 14 bytes that follow the format tag in the GUID of every KSDATAFORMAT_SUBTYPE_* of a WAVE_FORMAT_* tag.
        private static readonly byte[] SubformatGuidTail = new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 };

        /// <summary>Reads the header of the WAV file in the first <paramref name="length"/> bytes of <paramref name="file"/> into <paramref name="info"/>.</summary>
        /// <returns><see cref="WavError.Ok"/>, or a negative <see cref="WavError"/> code (nothing thrown); <paramref name="info"/> is only complete on Ok.</returns>
        public static int Read(byte[] file, int length, WavInfo info)
        {
            if (file == null || info == null)
            {
                return WavError.NullBuffer;
            }

            info.Clear();
            if (length > file.Length)
            {
                length = file.Length;
            }

            if (length < 12 || !RiffBytes.IsCode(file, 0, "RIFF"))
            {
                return WavError.NotRiff;
            }

            if (!RiffBytes.IsCode(file, 8, "WAVE"))
            {
                return WavError.NotWave;
            }

            bool haveFormat = false;
            bool haveData = false;
            long factSamples = -1;
            int position = 12;
            while (position <= length - 8 && !info.DataSizeInferred)
            {
                long size = RiffBytes.ReadUInt32(file, position + 4);
                int body = position + 8;
                if (RiffBytes.IsCode(file, position, "fmt "))
                {
                    if (size < 16 || size > length - body)
                    {
                        return WavError.BadFormatChunk;
                    }

                    int result = ReadFormat(file, body, (int)size, info);
                    if (result != WavError.Ok)
                    {
                        return result;
                    }

                    haveFormat = true;
                }
                else if (RiffBytes.IsCode(file, position, "fact") && size >= 4 && size <= length - body)
                {
                    factSamples = RiffBytes.ReadUInt32(file, body);
                }
                else if (RiffBytes.IsCode(file, position, "data"))
                {
                    if (!haveFormat)
                    {
                        return WavError.MissingFormat;
                    }

                    haveData = true;
                    info.DataOffset = body;
                    if (size == 0 || size > length - body)
                    {
                        info.DataSizeInferred = true;
                        size = length - body;
                    }

                    info.BlockCount = (int)(size / info.BlockAlign);
                    info.DataLength = info.BlockCount * info.BlockAlign;
                }

                // Chunks are padded to an even length; a chunk claiming more than the file holds ends the walk.
                long next = body + size + (size & 1);
                if (next > length)
                {
                    break;
                }

                position = (int)next;
            }

            if (!haveFormat)
            {
                return WavError.MissingFormat;
            }

            if (!haveData)
            {
                return WavError.MissingData;
            }

            int capacity = info.BlockCount * info.SamplesPerBlock;
            info.SampleCount = factSamples > 0 && factSamples <= capacity && info.IsImaAdpcm ? (int)factSamples : capacity;
            return WavError.Ok;
        }

        private static int ReadFormat(byte[] file, int at, int size, WavInfo info)
        {
            int tag = RiffBytes.ReadUInt16(file, at);
            int channels = RiffBytes.ReadUInt16(file, at + 2);
            long sampleRate = RiffBytes.ReadUInt32(file, at + 4);
            int blockAlign = RiffBytes.ReadUInt16(file, at + 12);
            int bits = RiffBytes.ReadUInt16(file, at + 14);
            int extraSize = size >= 18 ? RiffBytes.ReadUInt16(file, at + 16) : 0;
            if (18 + extraSize > size)
            {
                extraSize = size >= 18 ? size - 18 : 0;
            }

            if (tag == WaveFormatExtensible)
            {
                if (extraSize < 22 || !IsPcmSubformat(file, at + 24))
                {
                    return WavError.UnsupportedFormat;
                }

                int validBits = RiffBytes.ReadUInt16(file, at + 18);
                if (validBits != 0 && validBits != 16)
                {
                    return WavError.UnsupportedBits;
                }

                tag = WavWriter.PcmFormatTag;
            }

            if (tag != WavWriter.PcmFormatTag && tag != ImaAdpcm.WavFormatTag)
            {
                return WavError.UnsupportedFormat;
            }

            if (channels != 1)
            {
                return WavError.UnsupportedChannels;
            }

            if (sampleRate == 0 || sampleRate > 0x7FFFFFFF)
            {
                return WavError.BadSampleRate;
            }

            int samplesPerBlock;
            if (tag == WavWriter.PcmFormatTag)
            {
                if (bits != 16)
                {
                    return WavError.UnsupportedBits;
                }

                if (blockAlign != 2)
                {
                    return WavError.BadBlockAlign;
                }

                samplesPerBlock = 1;
            }
            else
            {
                if (bits != 4)
                {
                    return WavError.UnsupportedBits;
                }

                samplesPerBlock = ImaAdpcm.SamplesPerBlockFor(blockAlign);
                if (samplesPerBlock == 0)
                {
                    return WavError.BadBlockAlign;
                }

                if (extraSize >= 2 && RiffBytes.ReadUInt16(file, at + 18) != samplesPerBlock)
                {
                    return WavError.SamplesPerBlockMismatch;
                }
            }

            info.FormatTag = tag;
            info.Channels = channels;
            info.SampleRate = (int)sampleRate;
            info.BlockAlign = blockAlign;
            info.BitsPerSample = bits;
            info.SamplesPerBlock = samplesPerBlock;
            return WavError.Ok;
        }

        private static bool IsPcmSubformat(byte[] file, int at)
        {
            if (RiffBytes.ReadUInt16(file, at) != WavWriter.PcmFormatTag)
            {
                return false;
            }

            for (int i = 0; i < SubformatGuidTail.Length; i++)
            {
                if (file[at + 2 + i] != SubformatGuidTail[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
