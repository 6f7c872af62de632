using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Messaging;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    // What the gateway says: the inbox, read once per step, and each downlink control message.
    public sealed partial class BadgeController
    {
        private void DrainInbox(long now)
        {
            // Only what waits now: a flood cannot keep the step from its audio work for long.
            var waiting = Inbox.Count;
            for (var i = 0; i < waiting; i++)
            {
                byte[] buffer;
                int length;
                var kind = Inbox.Peek(out buffer, out length);
                if (kind == InboxKind.Audio)
                {
                    OnFrame(buffer, length, now);
                }
                else if (kind == InboxKind.Control)
                {
                    OnControl(buffer, length, now);
                }

                Inbox.Release();
            }
        }

        private void OnControl(byte[] buffer, int length, long now)
        {
            var error = _controlReader.Read(buffer, 0, length, ControlDirection.Downlink);
            if (error != ProtocolError.None)
            {
                _observer.Event(BadgeEvent.BadMessage, 0, 0, (int)error);
                return;
            }

            var message = _controlReader.Message;
            switch (message.Type)
            {
                case MessageType.FloorGranted:
                    OnGranted((FloorGranted)message, now);
                    break;
                case MessageType.FloorDenied:
                    OnDenied((FloorDenied)message, now);
                    break;
                case MessageType.FloorRevoked:
                    OnRevoked((FloorRevoked)message, now);
                    break;
                case MessageType.BurstStart:
                    OnBurstStart((BurstStart)message, now);
                    break;
                case MessageType.BurstEnd:
                    OnBurstEnd((BurstEnd)message);
                    break;
                case MessageType.Wake:
                    OnWake((Wake)message, now);
                    break;
                case MessageType.UnplayedList:
                    OnUnplayedList((UnplayedList)message);
                    break;
                case MessageType.PermitOffer:
                    var offer = (PermitOffer)message;
                    _offerChannel = offer.Channel;
                    _offerPermits = offer.Permits;
                    _indicator.PlayTone(Tone.PermitOffer);
                    _indicator.ShowLed(LedState.PermitOffer);
                    _observer.Event(BadgeEvent.PermitOffered, offer.Channel, 0, offer.Permits);
                    break;
                case MessageType.PermitRevoked:
                    var revoked = (PermitRevoked)message;
                    if (revoked.Channel == _offerChannel)
                    {
                        _offerPermits = 0;
                    }

                    _observer.Event(BadgeEvent.PermitRevoked, revoked.Channel, 0, revoked.Permits);
                    break;
                case MessageType.Config:
                    var config = (Config)message;
                    if (config.Version >= _config.Version)
                    {
                        ApplyConfig(config);
                        _settings.WriteConfig(buffer, length);
                        _observer.Event(BadgeEvent.ConfigApplied, (byte)SelectedChannelOrZero(), 0, (int)config.Version);
                    }

                    break;
            }
        }

        private void OnWake(Wake wake, long now)
        {
            _observer.Event(BadgeEvent.WakeReceived, wake.Channel, wake.BurstId, (int)wake.Reason);
            if (_mode == BadgeMode.Standby)
            {
                LeaveStandby();
                EnterIdle(now);
            }
            else if (_mode == BadgeMode.Idle)
            {
                _sleep.KeepAwake(now);
            }
        }

        private void AcceptOffer()
        {
            if (_offerPermits == 0)
            {
                return;
            }

            _permitAccept.Channel = _offerChannel;
            _permitAccept.Permits = _offerPermits;
            _link.PublishControl(_permitAccept);
            _observer.Event(BadgeEvent.PermitAccepted, _offerChannel, 0, _offerPermits);
            _offerPermits = 0;
            _indicator.ShowLed(_mode == BadgeMode.Idle ? LedState.Idle : LedState.Receiving);
        }

        /// <summary>Takes a configuration in; the selected channel stays selected when it is still there.</summary>
        private void ApplyConfig(Config config)
        {
            var selected = SelectedChannel;
            _config = config;
            _selected = 0;
            for (var i = 0; i < config.Channels.Length; i++)
            {
                if (config.Channels[i].Channel == selected)
                {
                    _selected = i;
                }
            }
        }

        private void SelectNextChannel(long now)
        {
            if (_config.Channels.Length < 2)
            {
                return;
            }

            _selected = (_selected + 1) % _config.Channels.Length;
            _indicator.PlayTone(Tone.ChannelChanged);
            _observer.Event(BadgeEvent.ChannelSelected, (byte)SelectedChannel, 0, _selected);
            PublishState(_mode == BadgeMode.Receiving ? BadgeStatus.Listening : BadgeStatus.Idle);
            _sleep.KeepAwake(now);
        }
    }
}
