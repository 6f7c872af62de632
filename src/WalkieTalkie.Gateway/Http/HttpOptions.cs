using System.ComponentModel.DataAnnotations;

namespace WalkieTalkie.Gateway.Http;

/// <summary>The gateway's HTTPS endpoint for badges (configuration section <c>Http</c>).</summary>
public sealed class HttpOptions
{
    /// <summary>Address to listen on.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Plain HTTP port, only in development (<c>Gateway:Development</c>); 0 (the default) turns it off.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>HTTPS port with the site certificate; 0 turns it off.</summary>
    [Range(0, 65535)]
    public int TlsPort { get; set; } = 8443;
}
