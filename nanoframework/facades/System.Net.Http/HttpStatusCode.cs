namespace System.Net
{
    /// <summary>HTTP status codes (the subset a badge checks; the values are HTTP's own).</summary>
    public enum HttpStatusCode
    {
        /// <summary>200.</summary>
        OK = 200,

        /// <summary>204.</summary>
        NoContent = 204,

        /// <summary>304.</summary>
        NotModified = 304,

        /// <summary>400.</summary>
        BadRequest = 400,

        /// <summary>401.</summary>
        Unauthorized = 401,

        /// <summary>403.</summary>
        Forbidden = 403,

        /// <summary>404.</summary>
        NotFound = 404,

        /// <summary>500.</summary>
        InternalServerError = 500,

        /// <summary>503.</summary>
        ServiceUnavailable = 503,
    }
}
