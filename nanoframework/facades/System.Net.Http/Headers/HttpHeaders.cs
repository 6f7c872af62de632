namespace System.Net.Http.Headers
{
    /// <summary>Header names and values.</summary>
    public abstract class HttpHeaders
    {
        /// <summary>For the real derived classes.</summary>
        protected HttpHeaders()
        {
        }

        /// <summary>Adds a header.</summary>
        public void Add(string name, string value) => throw new NotSupportedException();
    }
}
