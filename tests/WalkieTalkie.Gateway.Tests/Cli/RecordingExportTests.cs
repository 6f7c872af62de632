using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Cli;

/// <summary>
/// <c>walkie recording export &lt;burst&gt; &lt;file.wav&gt;</c>, run as the built process: a sealed recording comes out as a
/// WAV an independent reader (sox) plays, owner-only; what cannot be exported is refused with an error and exit 1.
/// </summary>
public sealed class RecordingExportTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly SqliteRecordingIndex _index;
    private readonly RecordingKey _key;

    public RecordingExportTests()
    {
        _index = new SqliteRecordingIndex(_db.Database);
        _db.Channels.Add(1, "family");
        _key = RecordingKeyFile.LoadOrCreate(Path.Combine(_db.Directory, RecordingKeyFile.FileName), null, Path.Combine(_db.Directory, "recordings"),
            NullLogger.Instance);
    }

    public void Dispose() => _db.Dispose();

    private string RecordingPath(uint burstId) => Path.Combine(_db.Directory, "recordings", "ch1", $"{burstId:D8}-anna{RecordingFormat.Extension}");

    private static byte[] Blocks(int count) =>
        Enumerable.Range(0, count).SelectMany(i => TestFrames.Make(1, 7, (ushort)i)[AudioFrame.HeaderLength..]).ToArray();

    private void Record(uint burstId, byte[] blocks)
    {
        Recordings.AddFinished(_index, _key, burstId, 1, "anna", DateTimeOffset.UtcNow, RecordingPath(burstId), blocks);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private Task<WalkieCli.Result> Walkie(params string[] args) => WalkieCli.RunAsync(_db.Directory, args);

    [Fact]
    public async Task A_sealed_recording_is_exported_as_a_wav_that_sox_plays()
    {
        var blocks = Blocks(25);
        Record(5, blocks);
        var wav = Path.Combine(_db.Directory, "out", "burst five.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(wav)!);

        var result = await Walkie("recording", "export", "5", wav);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("burst 5 of anna on channel 1", result.Output);

        var bytes = File.ReadAllBytes(wav);
        Assert.True(bytes.AsSpan().StartsWith("RIFF"u8));
        Assert.Equal(blocks, bytes[^blocks.Length..]);
        Assert.Equal(OwnerOnly.FileMode, FileModes.Of(wav));
        var (rate, samples) = Sox.Decode(wav);
        Assert.Equal(8000, rate);
        Assert.Equal(25 * 321, samples);
    }

    [Fact]
    public async Task What_cannot_be_exported_is_refused_with_exit_1_and_no_file()
    {
        Record(5, Blocks(3));
        Record(6, Blocks(3));
        File.Delete(RecordingPath(6));
        var wav = Path.Combine(_db.Directory, "out.wav");

        foreach (var (args, says) in new[]
                 {
                     (new[] { "recording", "export", "99", wav }, "no burst 99"),
                     (new[] { "recording", "export", "6", wav }, "recording of burst 6 is gone"),
                     (new[] { "recording", "export", "5", "" }, "give the WAV file"),
                     (new[] { "recording", "export", "-1", wav }, "-1"),
                     (new[] { "recording", "export", "5" }, "file"),
                 })
        {
            var result = await Walkie(args);
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains(says, result.Error);
            Assert.DoesNotContain("   at ", result.Error);
            Assert.False(File.Exists(wav));
        }

        File.WriteAllBytes(RecordingPath(5), new byte[200]); // damaged
        var damaged = await Walkie("recording", "export", "5", wav);
        Assert.True(damaged.ExitCode == 1, damaged.ToString());
        Assert.StartsWith("error: ", damaged.Error);
        Assert.False(File.Exists(wav));
    }

    [Fact]
    public async Task Prune_deletes_what_is_past_retention_now()
    {
        Recordings.AddFinished(_index, _key, 7, 1, "anna", DateTimeOffset.UtcNow.AddDays(-31), RecordingPath(7), Blocks(1));
        Record(8, Blocks(1));

        var result = await Walkie("recording", "prune");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("deleted 1 recordings", result.Output);
        Assert.False(File.Exists(RecordingPath(7)));
        Assert.True(File.Exists(RecordingPath(8)));
        Assert.Equal(1, (await Walkie("recording", "export", "7", Path.Combine(_db.Directory, "gone.wav"))).ExitCode);
    }
}
