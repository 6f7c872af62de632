using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;

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
}
