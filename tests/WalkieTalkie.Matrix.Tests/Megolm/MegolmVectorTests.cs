using System.Text;
using WalkieTalkie.Matrix.Crypto.Megolm;

namespace WalkieTalkie.Matrix.Tests.Megolm;

/// <summary>Known-answer vectors from libolm (tests/test_megolm.cpp, tests/test_group_session.cpp, tests/test_message.cpp).</summary>
public class MegolmVectorTests
{
    private static readonly byte[] Seed = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0123456789ABCDEF", 8)));

    private const string SeedPartHex = "30313233343536373839414243444546" + "30313233343536373839414243444546";
    private const string AfterOneR3 = "ba9cd955741d1c162323ec825e7c5ce889bbb423a18f23828fb2090d6e2af86a";
    private const string At1000000 =
        "54022d7dc0298e1637e21c97153092f933c056ff74fe1b922d971f2482c2859c" +
        "7004c01ee49bd6efe0073525af9b1632c5be726d12349cc5bd472bdc2df6540f" +
        "3112591194fda617e568c683101eaecd7eddd6de1fbc0767ae34da1a09a54eab" + AfterOneR3;
    private const string At1041506 =
        "54022d7dc0298e1637e21c97153092f933c056ff74fe1b922d971f2482c2859c" +
        "55588df5b7a48878428927868164589f3663447b51edc3595b036ca604c46dcd" +
        "5c54850bfa98a1fd79a9df1cbe8fc5681937d30c85c8c31f7bb828816cf9ff3b" +
        "956cbf807e65126a49558d45c84a2e4cd56f03e24416b98e1cfd97c206aa907a";

    [Fact]
    public void Advance_once_rederives_only_R3()
    {
        var ratchet = new MegolmRatchet(0, Seed);
        ratchet.Advance();
        Assert.Equal(1u, ratchet.Counter);
        Assert.Equal(SeedPartHex + SeedPartHex + SeedPartHex + AfterOneR3, Convert.ToHexStringLower(ratchet.Data));
    }

    [Fact]
    public void Advance_to_matches_libolm_across_2_24_and_2_16_and_2_8()
    {
        var ratchet = new MegolmRatchet(0, Seed);
        ratchet.AdvanceTo(1);
        Assert.Equal(SeedPartHex + SeedPartHex + SeedPartHex + AfterOneR3, Convert.ToHexStringLower(ratchet.Data));
        ratchet.AdvanceTo(0x1000000);
        Assert.Equal(0x1000000u, ratchet.Counter);
        Assert.Equal(At1000000, Convert.ToHexStringLower(ratchet.Data));
        ratchet.AdvanceTo(0x1041506);
        Assert.Equal(0x1041506u, ratchet.Counter);
        Assert.Equal(At1041506, Convert.ToHexStringLower(ratchet.Data));
    }

    [Fact]
    public void Advance_to_equals_repeated_advance_across_a_2_8_reseed()
    {
        var stepped = new MegolmRatchet(0, Seed);
        for (var i = 0; i < 301; i++)
        {
            stepped.Advance();
        }

        var jumped = new MegolmRatchet(0, Seed);
        jumped.AdvanceTo(301);
        Assert.Equal(stepped.Data, jumped.Data);
    }

    [Fact]
    public void Advance_to_wraps_around_2_32()
    {
        // libolm's wrap-around checks: from 0xffffffff to 0x1000000 equals from 0 to 0x2000000, and to 0 is reachable.
        var wrapped = new MegolmRatchet(0xffffffff, Seed);
        wrapped.AdvanceTo(0x1000000);
        var direct = new MegolmRatchet(0, Seed);
        direct.AdvanceTo(0x2000000);
        Assert.Equal(0x1000000u, wrapped.Counter);
        Assert.Equal(direct.Data, wrapped.Data);

        var viaHalf = new MegolmRatchet(1, Seed);
        viaHalf.AdvanceTo(0x80000000);
        viaHalf.AdvanceTo(0);
        var straight = new MegolmRatchet(1, Seed);
        straight.AdvanceTo(0);
        Assert.Equal(0u, straight.Counter);
        Assert.Equal(straight.Data, viaHalf.Data);
    }

    [Fact]
    public void Libolm_session_key_and_message_decrypt_to_Message_at_index_0()
    {
        const string sessionKey =
            "AgAAAAAwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMzQ1Njc4OUFCREVGM" +
            "DEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkRFRjAxMjM0NTY3ODlBQkNERUYwMTIzND" +
            "U2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMw0bdg1BDq4Px/slBow06q8n/B9WBfw" +
            "WYyNOB8DlUmXGGwrFmaSb9bR/eY8xgERrxmP07hFmD9uqA2p8PMHdnV5ysmgufE6oLZ5+" +
            "8/mWQOW3VVTnDIlnwd8oHUYRuk8TCQ";
        const string message =
            "AwgAEhAcbh6UpbByoyZxufQ+h2B+8XHMjhR69G8F4+qjMaFlnIXusJZX3r8LnRORG9T3D" +
            "XFdbVuvIWrLyRfm4i8QRbe8VPwGRFG57B1CtmxanuP8bHtnnYqlwPsD";
        var session = InboundGroupSession.FromSessionKey(sessionKey);
        var result = session.Decrypt(message);
        Assert.Equal("Message", Encoding.UTF8.GetString(result.Plaintext));
        Assert.Equal(0u, result.MessageIndex);

        // libolm's export/import round trip: the export at index 0 imports and decrypts the same message.
        var imported = InboundGroupSession.Import(session.Export(0));
        Assert.False(imported.SigningKeyVerified);
        Assert.Equal("Message", Encoding.UTF8.GetString(imported.Decrypt(message).Plaintext));
    }

    [Fact]
    public void Group_message_encoding_of_index_200_matches_libolm()
    {
        var encoded = MegolmMessage.EncodeWithoutMac(200, Encoding.ASCII.GetBytes("0123456789"));
        Assert.Equal(new byte[] { 0x03, 0x08, 0xC8, 0x01, 0x12, 0x0A }, encoded[..6]);
        Assert.Equal("0123456789", Encoding.ASCII.GetString(encoded[6..]));
    }
}
