using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Gateway.Sites;

/// <summary>
/// This gateway's id among the sites of a room: <see cref="SiteOptions.GatewayId"/> when set, else one made at first
/// use (<c>gw-</c> and 12 random hex digits) and kept in <c>{DataDirectory}/gateway-id</c>, so it stays what the rooms
/// know it by across restarts.
/// </summary>
public sealed class GatewayIdentity
{
    private const string FileName = "gateway-id";

    public GatewayIdentity(IOptions<GatewayOptions> gateway, IOptions<SiteOptions> sites)
    {
        Id = sites.Value.GatewayId is { Length: > 0 } configured ? configured : LoadOrCreate(gateway.Value.DataDirectory);
    }

    public string Id { get; }

    /// <summary>An id as the rooms use it: lowercase letters, digits and dashes, at most 63, not starting with a dash.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= 63 } && id[0] != '-' && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'z' || c == '-');

    private static string LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var kept = File.ReadAllText(path).Trim();
            if (IsValid(kept))
            {
                return kept;
            }

            throw new InvalidDataException($"{path} does not hold a gateway id (lowercase letters, digits and dashes)");
        }

        OwnerOnly.CreateFolder(dataDirectory);
        var id = "gw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        OwnerOnly.WriteAllBytes(path, System.Text.Encoding.ASCII.GetBytes(id + "\n"));
        return id;
    }
}
