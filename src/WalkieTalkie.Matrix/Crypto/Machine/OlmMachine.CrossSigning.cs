using WalkieTalkie.Matrix.Crypto.CrossSigning;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;

namespace WalkieTalkie.Matrix.Crypto.Machine;

// Our user's cross-signing identity: created once, never reset, signs our device.
public sealed partial class OlmMachine
{
    private CrossSigningIdentity? _ownIdentity;
    private bool _crossSigningUploaded;

    /// <summary>True once our cross-signing keys and our device's signature were reported uploaded.</summary>
    public bool IsCrossSigningBootstrapped => _crossSigningUploaded;

    /// <summary>Gives our user a cross-signing identity (master, self-signing, user-signing keys) and signs our device
    /// with it, as Element requires (an unsigned device gets no room keys and its messages are refused). The identity
    /// is created once and then kept: calling again returns the same keys, never new ones. Returns two requests to
    /// perform in order: <see cref="DeviceSigningUploadRequest"/> (which may need user-interactive auth: the caller
    /// adds <c>auth</c> and retries), then <see cref="SignatureUploadRequest"/>.</summary>
    public IReadOnlyList<OutgoingRequest> BootstrapCrossSigning()
    {
        if (_ownIdentity is null)
        {
            _ownIdentity = CrossSigningIdentity.Create(UserId);
            _crossSigningDirty = true;
        }
        var identity = _ownIdentity;
        ApplyOwnIdentity();
        var keys = Register(new DeviceSigningUploadRequest(NewRequestId(), identity.DeviceSigningUploadBody().ToJsonString()), _ => { },
            inOutgoingQueue: false);
        var signatures = Register(new SignatureUploadRequest(NewRequestId(),
                identity.SignaturesUploadBody(Account.DeviceKeys(UserId, DeviceId), DeviceId, Account).ToJsonString()),
            _ => _crossSigningUploaded = true, inOutgoingQueue: false);
        _metadataDirty = true;
        return [keys, signatures];
    }

    /// <summary>Our identity is trusted locally at once, and our device carries its self-signing signature (also in the
    /// <c>sender_device_keys</c> we send).</summary>
    private void ApplyOwnIdentity()
    {
        if (_ownIdentity is not { } identity)
        {
            return;
        }

        _identities[UserId] = new UserIdentity(UserId, identity.MasterKey, identity.SelfSigningKey, identity.UserSigningKey, identity.MasterKeyObject());
        var signed = identity.SignDevice(Account.DeviceKeys(UserId, DeviceId));
        _devices[(UserId, DeviceId)] = new DeviceKeysInfo(UserId, DeviceId, Account.Curve25519Key, Account.Ed25519Key, signed);
    }
}
