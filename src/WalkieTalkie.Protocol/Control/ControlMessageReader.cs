using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Turns a control payload into its message, or into the reason it was refused. It never throws; one reader
    /// serves one thread.
    /// </summary>
    public sealed class ControlMessageReader
    {
        private readonly PacketReader _reader = new PacketReader();

        /// <summary>The message read by the last successful <see cref="Read"/>.</summary>
        public ControlMessage Message { get; private set; }

        public ProtocolError Read(byte[] buffer, int offset, int length, ControlDirection direction)
        {
            Message = null;
            if (buffer == null || offset < 0 || length < 0 || offset > buffer.Length - length)
            {
                return ProtocolError.Truncated;
            }

            if (length > ControlMessage.MaxLength)
            {
                return ProtocolError.Oversized;
            }

            _reader.Reset(buffer, offset, length);
            var version = _reader.ReadByte();
            var type = _reader.ReadByte();
            if (_reader.Error != ProtocolError.None)
            {
                return length == 0 || version == ProtocolVersion.Current ? _reader.Error : ProtocolError.UnknownVersion;
            }

            if (version != ProtocolVersion.Current)
            {
                return ProtocolError.UnknownVersion;
            }

            var allowed = direction == ControlDirection.Uplink ? MessageType.IsUplink(type) : MessageType.IsDownlink(type);
            var message = allowed ? Create(type) : null;
            if (message == null)
            {
                return ProtocolError.UnknownType;
            }

            message.ReadBody(_reader);
            _reader.ExpectEnd();
            if (_reader.Error != ProtocolError.None)
            {
                return _reader.Error;
            }

            Message = message;
            return ProtocolError.None;
        }

        private static ControlMessage Create(byte type)
        {
            switch (type)
            {
                case MessageType.FloorRequest: return new FloorRequest();
                case MessageType.FloorRelease: return new FloorRelease();
                case MessageType.SleepAnnouncement: return new SleepAnnouncement();
                case MessageType.PlayRequest: return new PlayRequest();
                case MessageType.Played: return new Played();
                case MessageType.PermitAccept: return new PermitAccept();
                case MessageType.PermitWithdraw: return new PermitWithdraw();
                case MessageType.BadgeState: return new BadgeState();
                case MessageType.FloorGranted: return new FloorGranted();
                case MessageType.FloorDenied: return new FloorDenied();
                case MessageType.FloorRevoked: return new FloorRevoked();
                case MessageType.BurstStart: return new BurstStart();
                case MessageType.BurstEnd: return new BurstEnd();
                case MessageType.Wake: return new Wake();
                case MessageType.UnplayedList: return new UnplayedList();
                case MessageType.PermitOffer: return new PermitOffer();
                case MessageType.PermitRevoked: return new PermitRevoked();
                case MessageType.Config: return new Config();
                case MessageType.ChannelOptions: return new ChannelOptions();
                case MessageType.Listeners: return new Listeners();
                case MessageType.QuietState: return new QuietState();
                case MessageType.DoNotDisturb: return new DoNotDisturb();
                case MessageType.AccessPoint: return new AccessPoint();
                case MessageType.Emergency: return new Emergency();
                case MessageType.EmergencyState: return new EmergencyState();
                case MessageType.TalkerOptions: return new TalkerOptions();
                case MessageType.ReplyRequest: return new ReplyRequest();
                case MessageType.ReplyGranted: return new ReplyGranted();
                case MessageType.ReplyDenied: return new ReplyDenied();
                case MessageType.ReplyIncoming: return new ReplyIncoming();
                default: return null;
            }
        }
    }
}
