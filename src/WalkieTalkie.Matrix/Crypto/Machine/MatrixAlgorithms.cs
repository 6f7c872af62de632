namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>The algorithm and key type names the machine speaks.</summary>
internal static class MatrixAlgorithms
{
    public const string Olm = "m.olm.v1.curve25519-aes-sha2";
    public const string Megolm = "m.megolm.v1.aes-sha2";
    public const string SignedCurve25519 = "signed_curve25519";
}
