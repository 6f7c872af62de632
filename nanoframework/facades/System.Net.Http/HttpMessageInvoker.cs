namespace System.Net.Http
{
    /// <summary>Base of <see cref="HttpClient"/>: sends requests through a handler.</summary>
    public class HttpMessageInvoker : IDisposable
    {
        internal HttpMessageInvoker()
        {
        }

        /// <summary>Releases the handler.</summary>
        public void Dispose()
        {
        }
    }
}
