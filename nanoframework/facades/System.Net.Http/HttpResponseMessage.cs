namespace System.Net.Http
{
    /// <summary>A response: status and body.</summary>
    public class HttpResponseMessage : IDisposable
    {
        /// <summary>A 200 response.</summary>
        public HttpResponseMessage() => throw new NotSupportedException();

        /// <summary>A response with the status.</summary>
        public HttpResponseMessage(HttpStatusCode statusCode) => throw new NotSupportedException();

        /// <summary>The body.</summary>
        public HttpContent Content
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>Whether the status is 200-299.</summary>
        public bool IsSuccessStatusCode => throw new NotSupportedException();

        /// <summary>The status.</summary>
        public HttpStatusCode StatusCode => throw new NotSupportedException();

        /// <summary>Throws <see cref="HttpRequestException"/> unless the status is a success.</summary>
        public HttpResponseMessage EnsureSuccessStatusCode() => throw new NotSupportedException();

        /// <summary>Releases the body.</summary>
        public void Dispose()
        {
        }
    }
}
