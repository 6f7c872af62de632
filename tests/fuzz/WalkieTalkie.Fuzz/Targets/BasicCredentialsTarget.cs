using System.Text;
using WalkieTalkie.Gateway.Http;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// <see cref="BasicCredentials.Parse"/> on an <c>Authorization</c> header (the badge's config request). It never
/// throws; a header that is not well-formed Basic credentials is null. Accepted credentials, encoded again, must
/// parse to the same user and password.
/// </summary>
public sealed class BasicCredentialsTarget : FuzzTarget
{
    public override string Description => "BasicCredentials.Parse (the gateway's HTTP Basic Authorization header)";

    public override IReadOnlyList<string> Libraries => ["walkie"];

    public override FuzzOutcome Run(byte[] input)
    {
        if (BasicCredentials.Parse(Encoding.UTF8.GetString(input)) is not { } credentials)
        {
            return FuzzOutcome.Refused;
        }

        if (BasicCredentials.Parse(Header(credentials.User, credentials.Password)) != credentials)
        {
            throw new FuzzInvariantException("accepted credentials, encoded again, parse to something else");
        }

        return FuzzOutcome.Accepted;
    }

    private static string Header(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    public override IEnumerable<byte[]> Seeds()
    {
        yield return Encoding.UTF8.GetBytes(Header("anna", "s3cret-from-walkie-badge-add"));
        yield return Encoding.UTF8.GetBytes(Header("kid-1", "pa:ss wörd"));
        yield return Encoding.UTF8.GetBytes("basic  " + Convert.ToBase64String("b:"u8) + " ");
        yield return Encoding.UTF8.GetBytes("Bearer abc");
        yield return Encoding.UTF8.GetBytes(Header("anna", "x")[..10]);
    }
}
