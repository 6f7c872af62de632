namespace System.Net.Http
{
    /// <summary>A request failed (network, DNS, certificate) or the status was not a success.</summary>
    public class HttpRequestException : Exception
    {
        /// <summary>A failed request.</summary>
        public HttpRequestException() => throw new NotSupportedException();
    }
}
