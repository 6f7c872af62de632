using WalkieTalkie.Interop;

namespace WalkieTalkie.EndToEnd.Tests.Support;

/// <summary>A matrix-js-sdk peer set up as a parent's phone in these tests.</summary>
public static class Phone
{
    /// <summary>
    /// Registers <paramref name="user"/> (password <c>{user}-password</c>) on the homeserver, starts the client in
    /// only-signed-devices mode (Rust crypto: it shows no message from a device its owner did not sign) and
    /// bootstraps cross-signing, so the phone's own device is signed.
    /// </summary>
    public static async Task<PeerSession> SignUpCrossSignedAsync(this JsPeer phone, Uri homeserver, string user, CancellationToken ct)
    {
        var session = await phone.RegisterAsync(homeserver, user, $"{user}-password", cancellationToken: ct);
        await phone.StartClientAsync(DeviceIsolation.OnlySignedDevices, cancellationToken: ct);
        Assert.True(await phone.BootstrapCrossSigningAsync(cancellationToken: ct), $"cross-signing is not ready on {user}'s phone");
        return session;
    }

    /// <summary>
    /// A voice message as a phone records it: <paramref name="speech"/> (a WAV) resampled to 48 kHz and encoded to Ogg Opus
    /// by opusenc, written to <paramref name="ogg"/>, which is returned.
    /// </summary>
    public static string RecordVoiceMessage(string speech, string ogg)
    {
        var at48k = Path.ChangeExtension(ogg, ".48k.wav");
        var resample = Tools.Run("sox", speech, "-r", "48000", at48k);
        Assert.True(resample.ExitCode == 0, $"sox failed: {resample.Output}");
        var encode = Tools.Run("opusenc", "--quiet", at48k, ogg);
        Assert.True(encode.ExitCode == 0, $"opusenc failed: {encode.Output}");
        return ogg;
    }
}
