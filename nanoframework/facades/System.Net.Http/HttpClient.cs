using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace System.Net.Http
{
    /// <summary>Synchronous HTTP client (nanoFramework's Get is the equivalent of GetAsync; it blocks).</summary>
    public class HttpClient : HttpMessageInvoker
    {
        /// <summary>A client with the default handler and an infinite timeout.</summary>
        public HttpClient() => throw new NotSupportedException();

        /// <summary>Headers sent with every request (the badge's Basic authorization).</summary>
        public HttpRequestHeaders DefaultRequestHeaders => throw new NotSupportedException();

        /// <summary>How long a request may take.</summary>
        public TimeSpan Timeout
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>The root CA that authenticates https servers (a nanoFramework extension).</summary>
        public X509Certificate HttpsAuthentCert
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>Sends a GET and reads the whole response.</summary>
        public HttpResponseMessage Get(string requestUri) => throw new NotSupportedException();

        /// <summary>Sends a GET and returns the body as text; throws unless the status is a success.</summary>
        public string GetString(string requestUri) => throw new NotSupportedException();

        /// <summary>Sends a GET and returns the body as bytes; throws unless the status is a success.</summary>
        public byte[] GetByteArray(string requestUri) => throw new NotSupportedException();
    }
}
