namespace System.Net.Http.Headers
{
    /// <summary>The headers of a request.</summary>
    public sealed class HttpRequestHeaders : HttpHeaders
    {
        internal HttpRequestHeaders()
        {
        }
    }
}
