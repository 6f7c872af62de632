using WalkieTalkie.Matrix.Crypto.Storage;

namespace WalkieTalkie.Matrix.Store;

/// <summary>Where the operator's key store key comes from: a key file or an environment variable, never a default.
/// The key is 32 random bytes, as base64 (e.g. <c>openssl rand -base64 32</c>); a key file may also hold the 32 raw bytes.</summary>
public static class StoreKeySource
{
    /// <summary>The environment variable read when no key file is given.</summary>
    public const string EnvironmentVariable = "WALKIE_STORE_KEY";

    /// <summary>Reads the key from <paramref name="keyFile"/> when given, else from <see cref="EnvironmentVariable"/>.</summary>
    /// <exception cref="StoreKeyMissingException">No key, or a key that is not 32 bytes: the gateway must not start.</exception>
    public static StoreKey Load(string? keyFile, Func<string, string?>? environment = null) => new(LoadBytes(keyFile, environment));

    /// <summary>Whether the operator gave a key (a key file, or <see cref="EnvironmentVariable"/>), usable or not.</summary>
    public static bool IsGiven(string? keyFile, Func<string, string?>? environment = null) =>
        !string.IsNullOrEmpty(keyFile) || !string.IsNullOrWhiteSpace((environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable));

    /// <summary>The key's 32 bytes, from where <see cref="Load"/> reads them (for other secrets the same key seals, such as the recording key).</summary>
    /// <exception cref="StoreKeyMissingException">No key, or a key that is not 32 bytes.</exception>
    public static byte[] LoadBytes(string? keyFile, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrEmpty(keyFile))
        {
            if (!File.Exists(keyFile))
            {
                throw new StoreKeyMissingException($"the key store key file {keyFile} does not exist");
            }

            var bytes = File.ReadAllBytes(keyFile);
            if (bytes.Length == 32)
            {
                return bytes;
            }

            return Parse(System.Text.Encoding.ASCII.GetString(bytes).Trim(), $"the key file {keyFile}");
        }
        var text = environment(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new StoreKeyMissingException(
                $"no key store key: set {EnvironmentVariable} to 32 random bytes in base64 (openssl rand -base64 32), or give a key file. " +
                "The key store holds the badges' private keys and is never written unencrypted.");
        }

        return Parse(text.Trim(), EnvironmentVariable);
    }

    private static byte[] Parse(string base64, string where)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new StoreKeyMissingException($"{where} is not base64 (expected 32 random bytes in base64)");
        }
        if (key.Length != 32)
        {
            throw new StoreKeyMissingException($"{where} holds {key.Length} bytes; the key store key is 32 bytes");
        }

        return key;
    }
}

/// <summary>The key store key is missing or unusable; the message says what to set.</summary>
public sealed class StoreKeyMissingException(string message) : Exception(message);
