namespace System.Security.Cryptography.X509Certificates
{
    /// <summary>An X.509 certificate (a CA for the broker's TLS, or the badge's own), DER bytes or PEM text.</summary>
    public class X509Certificate
    {
        /// <summary>A certificate from its encoded bytes.</summary>
        public X509Certificate(byte[] certificate) => throw new NotSupportedException();

        /// <summary>A certificate from PEM text.</summary>
        public X509Certificate(string certificate) => throw new NotSupportedException();
    }
}
