namespace System.Net.Http
{
    /// <summary>The body of a request or response.</summary>
    public abstract class HttpContent : IDisposable
    {
        internal HttpContent()
        {
        }

        /// <summary>The body as text.</summary>
        public string ReadAsString() => throw new NotSupportedException();

        /// <summary>The body as bytes.</summary>
        public byte[] ReadAsByteArray() => throw new NotSupportedException();

        /// <summary>Releases the body.</summary>
        public void Dispose()
        {
        }
    }
}
