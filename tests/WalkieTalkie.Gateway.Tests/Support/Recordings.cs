using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// Recordings of a test gateway's data folder read back as the gateway reads them (they are sealed at rest): with
/// the folder's recording key (not sealed in tests: no store key is set), as WAV bytes or a WAV file beside them.
/// </summary>
public static class Recordings
{
    public static RecordingReader Reader(string dataDirectory) =>
        new(RecordingKeyFile.LoadOrCreate(Path.Combine(dataDirectory, RecordingKeyFile.FileName), null, Path.Combine(dataDirectory, "recordings"),
            NullLogger.Instance));

    /// <summary>The recording as a WAV (what <c>walkie recording export</c> writes).</summary>
    public static byte[] Wav(string dataDirectory, string path) => Reader(dataDirectory).Read(path).ToWav();

    /// <summary>Writes the recording as <c>{path}.wav</c> (for sox) and returns that path.</summary>
    public static string ExportWav(string dataDirectory, string path)
    {
        var wav = path + ".wav";
        File.WriteAllBytes(wav, Wav(dataDirectory, path));
        return wav;
    }

    /// <summary>A finished 8 kHz burst as the recorder leaves it: its index row and its sealed file of 164-byte blocks.</summary>
    public static void AddFinished(IRecordingIndex index, RecordingKey key, uint burstId, byte channel, string talker, DateTimeOffset startedAt,
        string path, byte[] blocks)
    {
        index.Start(burstId, channel, talker, startedAt.ToUnixTimeMilliseconds(), path, 8000);
        RecordingFileWriter.WriteFile(path, key, 8000, 164, blocks);
        index.Finish(burstId, 20, blocks.Length / 164, 0, 164, complete: true, endReason: 0);
    }
}
