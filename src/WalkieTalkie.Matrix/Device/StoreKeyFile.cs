namespace WalkieTalkie.Matrix.Device;

/// <summary>Where the key store's key comes from: given directly (an environment variable the operator sets), or a
/// file holding it as base64, created with 32 random bytes and mode 0600 on first start.</summary>
internal static class StoreKeyFile
{
    public static byte[] Read(MatrixDeviceOptions options)
    {
        if (options.KeyStoreKey is { } given)
            return given.Length == 32 ? given : throw new ArgumentException("The key store key must be 32 bytes.", nameof(options));
        var path = options.KeyStoreKeyFile
                   ?? throw new ArgumentException("Give the key store key, or a file to keep it in.", nameof(options));
        if (!File.Exists(path))
        {
            OwnerOnlyFile.CreateIfMissing(path);
            File.WriteAllText(path, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"The key store key file {path} does not hold base64.");
        }
        return key.Length == 32 ? key : throw new InvalidDataException($"The key store key in {path} is not 32 bytes.");
    }
}
