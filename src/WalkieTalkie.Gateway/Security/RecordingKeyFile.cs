using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Matrix.Store;

namespace WalkieTalkie.Gateway.Security;

/// <summary>
/// Where the <see cref="RecordingKey"/> is kept: <c>{data}/recording.key</c> (0600), made on first use. With the site's
/// store key (the Matrix key store's: <c>Matrix:StoreKeyFile</c> or <c>WALKIE_STORE_KEY</c>, set with or without a
/// homeserver) the file holds the recording key sealed with AES-256-GCM under it, so a copy of the data folder
/// without the store key holds no audio. Without a store key the recording key is kept unsealed (the gateway must
/// start out of the box) and a warning says so; it is sealed at the first start that has a store key.
/// <para>File: "WTRK", a kind byte (0 unsealed: the 32 key bytes; 1 sealed: a 12-byte nonce, the 32 sealed bytes, a 16-byte tag).</para>
/// </summary>
public static class RecordingKeyFile
{
    public const string FileName = "recording.key";

    private const byte Unsealed = 0;
    private const byte Sealed = 1;
    private const int NonceLength = 12;
    private const int HeadLength = 5;
    private static readonly byte[] Magic = "WTRK"u8.ToArray();
    private static readonly byte[] AssociatedData = "walkietalkie-recording-key/1"u8.ToArray();

    /// <summary>The recording key of a data folder, with the store key from where the Matrix key store reads it.</summary>
    /// <exception cref="RecordingKeyException">The key cannot be used; the message says what to set or restore.</exception>
    public static RecordingKey Open(string dataDirectory, string recordingsDirectory, string? storeKeyFile, ILogger logger) =>
        OpenAt(Path.Combine(dataDirectory, FileName), recordingsDirectory, storeKeyFile, logger);

    /// <summary>The recording key kept at <paramref name="path"/> (<c>Gateway:RecordingKeyFile</c>), with the store key from where the Matrix key store reads it.</summary>
    /// <exception cref="RecordingKeyException">The key cannot be used; the message says what to set or restore.</exception>
    public static RecordingKey OpenAt(string path, string recordingsDirectory, string? storeKeyFile, ILogger logger)
    {
        byte[]? storeKey = null;
        if (StoreKeySource.IsGiven(storeKeyFile))
        {
            try
            {
                storeKey = StoreKeySource.LoadBytes(storeKeyFile);
            }
            catch (StoreKeyMissingException e)
            {
                throw new RecordingKeyException(e.Message);
            }
        }

        return LoadOrCreate(path, storeKey, recordingsDirectory, logger);
    }

    /// <summary>Loads the key at <paramref name="path"/>, making it when missing; seals it when <paramref name="storeKey"/> is given and it is not.</summary>
    /// <exception cref="RecordingKeyException">Sealed under another store key or none given, damaged, or missing while sealed recordings exist.</exception>
    public static RecordingKey LoadOrCreate(string path, byte[]? storeKey, string recordingsDirectory, ILogger logger)
    {
        if (!File.Exists(path))
        {
            if (Directory.Exists(recordingsDirectory)
                && Directory.EnumerateFiles(recordingsDirectory, "*" + Recording.RecordingFormat.Extension, SearchOption.AllDirectories).Any())
            {
                throw new RecordingKeyException($"the recording key {path} is missing, and {recordingsDirectory} holds recordings sealed with it: " +
                    "restore the file from a backup (a new key would not open them)");
            }

            var created = RecordingKey.Generate();
            if (!Write(path, created, storeKey, replace: false))
            {
                // Another process (the CLI beside the service) made it first: theirs is the key.
                return LoadOrCreate(path, storeKey, recordingsDirectory, logger);
            }

            logger.LogInformation("Made the recording key {Path} ({Sealing})", path, storeKey is null ? "not sealed: no store key" : "sealed with the store key");
            WarnIfUnsealed(path, storeKey, logger);
            return created;
        }

        var bytes = File.ReadAllBytes(path);
        OwnerOnly.Restrict(path);
        if (bytes.Length < HeadLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new RecordingKeyException($"{path} is not a recording key file");
        }

        switch (bytes[Magic.Length])
        {
            case Unsealed when bytes.Length == HeadLength + RecordingKey.Length:
                var key = new RecordingKey(bytes.AsSpan(HeadLength));
                if (storeKey is not null)
                {
                    Write(path, key, storeKey, replace: true);
                    logger.LogInformation("Sealed the recording key {Path} with the store key", path);
                }

                WarnIfUnsealed(path, storeKey, logger);
                return key;

            case Sealed when bytes.Length == HeadLength + NonceLength + RecordingKey.Length + RecordingKey.TagLength:
                if (storeKey is null)
                {
                    throw new RecordingKeyException($"the recording key {path} is sealed with the store key: set {StoreKeySource.EnvironmentVariable} " +
                        "or Matrix:StoreKeyFile as when it was sealed");
                }

                return new RecordingKey(Open(bytes, storeKey, path));

            default:
                throw new RecordingKeyException($"{path} is damaged (unknown kind or length)");
        }
    }

    private static void WarnIfUnsealed(string path, byte[]? storeKey, ILogger logger)
    {
        if (storeKey is null)
        {
            logger.LogWarning("Recordings are encrypted with a key kept unsealed in {Path}: whoever can read the data folder can read them. " +
                "Set {Variable} (or Matrix:StoreKeyFile) to seal it", path, StoreKeySource.EnvironmentVariable);
        }
    }

    private static byte[] Open(byte[] file, byte[] storeKey, string path)
    {
        var key = new byte[RecordingKey.Length];
        using var aes = new AesGcm(storeKey, RecordingKey.TagLength);
        try
        {
            aes.Decrypt(file.AsSpan(HeadLength, NonceLength), file.AsSpan(HeadLength + NonceLength, RecordingKey.Length),
                file.AsSpan(file.Length - RecordingKey.TagLength), key, AssociatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new RecordingKeyException($"the recording key {path} is sealed with another store key (or was changed): " +
                "give the store key it was sealed with");
        }

        return key;
    }

    // Written to a temporary file and renamed into place: a crash leaves the old key or the new one, never half of one.
    // Without replace, false when the file appeared meanwhile (and nothing was written).
    private static bool Write(string path, RecordingKey key, byte[]? storeKey, bool replace)
    {
        byte[] file;
        if (storeKey is null)
        {
            file = [.. Magic, Unsealed, .. key.Bytes];
        }
        else
        {
            file = new byte[HeadLength + NonceLength + RecordingKey.Length + RecordingKey.TagLength];
            Magic.CopyTo(file, 0);
            file[Magic.Length] = Sealed;
            var nonce = file.AsSpan(HeadLength, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(storeKey, RecordingKey.TagLength);
            aes.Encrypt(nonce, key.Bytes, file.AsSpan(HeadLength + NonceLength, RecordingKey.Length), file.AsSpan(file.Length - RecordingKey.TagLength),
                AssociatedData);
        }

        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        OwnerOnly.WriteAllBytes(temporary, file);
        try
        {
            File.Move(temporary, path, overwrite: replace);
            return true;
        }
        catch (IOException) when (!replace && File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }
}
