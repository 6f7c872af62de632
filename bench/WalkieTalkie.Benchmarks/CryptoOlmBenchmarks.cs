using BenchmarkDotNet.Attributes;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Benchmarks;

/// <summary>
/// Olm session setup, both halves: the sender's outbound session from a claimed key plus its first (pre-key)
/// message, and the receiver's inbound session from that message plus its decryption. The receiver's key is a
/// fallback key, which (unlike a one-time key) stays, so every iteration does the same work.
/// </summary>
[MemoryDiagnoser]
public class CryptoOlmBenchmarks
{
    private static readonly byte[] RoomKeyPayload = new byte[1100]; // about the size of an m.room_key Olm payload
    private OlmAccount _alice = null!, _bob = null!;
    private string _bobFallbackKey = "";
    private OlmMessage _preKeyMessage = null!;

    [GlobalSetup]
    public void Setup()
    {
        _alice = OlmAccount.Create();
        _bob = OlmAccount.Create();
        _bob.GenerateFallbackKey(DateTimeOffset.UtcNow);
        _bobFallbackKey = _bob.UnpublishedFallbackKey!.Value.Value;
        _preKeyMessage = _alice.CreateOutboundSession(_bob.Curve25519Key, _bobFallbackKey).Encrypt(RoomKeyPayload);
    }

    [Benchmark]
    public OlmMessage OutboundSessionAndFirstMessage() =>
        _alice.CreateOutboundSession(_bob.Curve25519Key, _bobFallbackKey).Encrypt(RoomKeyPayload);

    [Benchmark]
    public InboundSessionResult InboundSessionAndDecrypt() => _bob.CreateInboundSession(_preKeyMessage, _alice.Curve25519Key);
}
