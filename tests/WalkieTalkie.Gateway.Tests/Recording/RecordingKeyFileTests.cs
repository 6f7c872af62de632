using System.Security.Cryptography;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Recording;

/// <summary>
/// The recording key's file: made on first use owner-only, sealed with the site's store key when there is one (then a
/// copy of the data folder without that key holds no audio), and refused rather than replaced when it cannot be used.
/// </summary>
public sealed class RecordingKeyFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wt-key-").FullName;
    private readonly ListLoggerProvider _log = new();

    public void Dispose() => Directory.Delete(_folder, true);

    private string KeyPath => Path.Combine(_folder, RecordingKeyFile.FileName);

    private string Recordings => Path.Combine(_folder, "recordings");

    private RecordingKey Open(byte[]? storeKey) => RecordingKeyFile.LoadOrCreate(KeyPath, storeKey, Recordings, _log.CreateLogger("key"));

    /// <summary>Whether two keys are the same: one seals, the other opens.</summary>
    private void AssertSame(RecordingKey a, RecordingKey b)
    {
        using var stream = new MemoryStream();
        using (var writer = new RecordingFileWriter(stream, a))
        {
            writer.Begin(8000, 164);
            writer.Append(new byte[164]);
            writer.End();
        }

        Assert.True(new RecordingReader(b).Read(stream.ToArray()).Finished);
    }

    [Fact]
    public void Without_a_store_key_the_key_is_made_owner_only_unsealed_and_a_warning_says_so()
    {
        var key = Open(null);
        Assert.Equal(OwnerOnly.FileMode, FileModes.Of(KeyPath));
        Assert.Equal(4 + 1 + 32, new FileInfo(KeyPath).Length);
        Assert.True(_log.Contains("unsealed", "WALKIE_STORE_KEY"));
        AssertSame(key, Open(null));
    }

    [Fact]
    public void With_a_store_key_the_key_is_sealed_and_opens_only_with_that_store_key()
    {
        var store = RandomNumberGenerator.GetBytes(32);
        var key = Open(store);
        Assert.Equal(4 + 1 + 12 + 32 + 16, new FileInfo(KeyPath).Length);
        Assert.False(_log.Contains("unsealed"));
        AssertSame(key, Open(store));

        Assert.Contains("sealed with the store key", Assert.Throws<RecordingKeyException>(() => Open(null)).Message);
        Assert.Contains("another store key", Assert.Throws<RecordingKeyException>(() => Open(RandomNumberGenerator.GetBytes(32))).Message);
    }

    [Fact]
    public void An_unsealed_key_is_sealed_at_the_first_start_with_a_store_key_and_stays_the_same_key()
    {
        var key = Open(null);
        var store = RandomNumberGenerator.GetBytes(32);
        var sealedKey = Open(store);
        Assert.Equal(4 + 1 + 12 + 32 + 16, new FileInfo(KeyPath).Length);
        Assert.True(_log.Contains("Sealed the recording key"));
        AssertSame(key, sealedKey);
        Assert.Throws<RecordingKeyException>(() => Open(null));
    }

    [Fact]
    public void A_lost_key_is_not_replaced_while_recordings_sealed_with_it_exist_and_a_damaged_one_is_refused()
    {
        var key = Open(null);
        var path = Path.Combine(Recordings, "ch1", "2026-11-25", "00000001-anna" + RecordingFormat.Extension);
        RecordingFileWriter.WriteFile(path, key, 8000, 164, new byte[164]);
        File.Delete(KeyPath);
        Assert.Contains("restore", Assert.Throws<RecordingKeyException>(() => Open(null)).Message);
        Assert.False(File.Exists(KeyPath));

        File.WriteAllBytes(KeyPath, "WTRK\u0001 half a sealed key"u8.ToArray());
        Assert.Contains("damaged", Assert.Throws<RecordingKeyException>(() => Open(RandomNumberGenerator.GetBytes(32))).Message);
        File.WriteAllBytes(KeyPath, "not a key file at all"u8.ToArray());
        Assert.Throws<RecordingKeyException>(() => Open(null));
    }

    [Fact]
    public void The_store_key_comes_from_where_the_matrix_key_store_reads_it()
    {
        var storeKeyFile = Path.Combine(_folder, "store.key");
        File.WriteAllText(storeKeyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var key = RecordingKeyFile.Open(_folder, Recordings, storeKeyFile, _log.CreateLogger("key"));
        Assert.Equal(4 + 1 + 12 + 32 + 16, new FileInfo(KeyPath).Length);
        AssertSame(key, RecordingKeyFile.Open(_folder, Recordings, storeKeyFile, _log.CreateLogger("key")));
        Assert.Throws<RecordingKeyException>(() => RecordingKeyFile.Open(_folder, Recordings, Path.Combine(_folder, "missing.key"), _log.CreateLogger("key")));
    }
}
