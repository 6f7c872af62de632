namespace WalkieTalkie.Media.Ogg;

/// <summary>Names the audio format a refused file most likely is, from its first bytes, so the log line says what came.</summary>
internal static class AudioFormatSniffer
{
    /// <summary>The container or codec of a file that is not Ogg, or null when its start says nothing known.</summary>
    public static string? NameFileFormat(ReadOnlySpan<byte> file)
    {
        if (file.Length >= 12 && file.StartsWith("RIFF"u8) && file[8..12].SequenceEqual("WAVE"u8))
        {
            return "WAV";
        }

        if (file.StartsWith("ID3"u8) || (file.Length >= 2 && file[0] == 0xFF && (file[1] & 0xE6) == 0xE2))
        {
            return "MP3";
        }

        if (file.Length >= 12 && file[4..8].SequenceEqual("ftyp"u8))
        {
            return "MP4/M4A";
        }

        if (file.Length >= 2 && file[0] == 0xFF && (file[1] & 0xF6) == 0xF0)
        {
            return "AAC (ADTS)";
        }

        if (file.StartsWith("fLaC"u8))
        {
            return "FLAC";
        }

        if (file.Length >= 4 && file[..4].SequenceEqual(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }))
        {
            return "WebM/Matroska";
        }

        if (file.StartsWith("#!AMR"u8))
        {
            return "AMR";
        }

        return null;
    }

    /// <summary>The codec of an Ogg stream's first packet when it is not Opus, or null.</summary>
    public static string? NameOggCodec(ReadOnlySpan<byte> firstPacket)
    {
        if (firstPacket.Length >= 7 && firstPacket[0] == 1 && firstPacket[1..7].SequenceEqual("vorbis"u8))
        {
            return "Vorbis";
        }

        if (firstPacket.Length >= 5 && firstPacket[0] == 0x7F && firstPacket[1..5].SequenceEqual("FLAC"u8))
        {
            return "FLAC";
        }

        if (firstPacket.StartsWith("Speex   "u8))
        {
            return "Speex";
        }

        if (firstPacket.Length >= 7 && firstPacket[0] == 0x80 && firstPacket[1..7].SequenceEqual("theora"u8))
        {
            return "Theora (video)";
        }

        return null;
    }
}
