using BenchmarkDotNet.Attributes;
using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Benchmarks;

/// <summary>
/// What checking one badge login costs the gateway: the site-keyed HMAC-SHA-256 for a badge that exists and for an
/// id that does not (they must cost the same: no oracle), beside the PBKDF2-SHA256 of 100,000 rounds that every
/// failed login and every first login after a restart used to cost (and that a row in the old format still costs once).
/// </summary>
[MemoryDiagnoser]
public class SecretCheckBenchmarks
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wt-secret-bench-").FullName;
    private SecretHasher _hasher = null!;
    private string _secret = "";
    private string _stored = "";
    private string _oldStored = "";

    [GlobalSetup]
    public void Setup()
    {
        _hasher = new SecretHasher(SiteKey.LoadOrCreate(_folder));
        _secret = SecretHasher.NewSecret();
        _stored = _hasher.Hash("anna", _secret);
        _oldStored = Pbkdf2SecretHash.Hash(_secret);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, true);

    [Benchmark(Baseline = true)]
    public SecretMatch HmacKnownBadge() => _hasher.Verify("anna", _secret, _stored);

    [Benchmark]
    public SecretMatch HmacUnknownBadge() => _hasher.Verify("nobody", _secret, null);

    [Benchmark]
    public bool Pbkdf2OldFormat() => Pbkdf2SecretHash.Verify(_secret, _oldStored);
}
