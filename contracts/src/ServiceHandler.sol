// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @notice What ServiceHandler needs of a service manager: WAVS's
/// IWavsServiceManager.validate, which reverts unless the signatures meet
/// the quorum. Any WAVS-compatible service manager fits.
interface IServiceManagerValidator {
    function validate(ServiceHandler.Envelope calldata envelope, ServiceHandler.SignatureData calldata signatureData)
        external
        view;
}

/// @title ServiceHandler
/// @notice Receives a service's signed results (WAVS's IWavsServiceHandler):
/// each envelope is checked by the service manager, handled at most once per
/// event id, and its payload kept for anyone to read.
/// @dev Envelope and SignatureData are declared here, not shared with
/// ServiceManager, so that the Go bindings of the two contracts (one file
/// each, one package) do not both declare the same Go struct. The ABI
/// encoding, and therefore every selector, is the same.
contract ServiceHandler {
    /// @notice A service result: the component's payload under an event id.
    struct Envelope {
        bytes20 eventId;
        bytes12 ordering;
        bytes payload;
    }

    /// @notice Signatures over an envelope, as ServiceManager.validate takes them.
    struct SignatureData {
        address[] signers;
        bytes[] signatures;
        uint32 referenceBlock;
    }

    error ZeroAddress();
    /// @notice The envelope's event was handled before. A node that sees this
    /// knows the result is on chain and may treat its submission as done.
    error EventAlreadyHandled(bytes20 eventId);

    event SignedEnvelopeHandled(bytes20 indexed eventId, bytes payload);

    IServiceManagerValidator private immutable _serviceManager;

    mapping(bytes20 eventId => bool) private _handled;
    mapping(bytes20 eventId => bytes) private _payloads;

    /// @notice How many envelopes have been handled.
    uint256 public handledCount;

    constructor(address serviceManager) {
        if (serviceManager == address(0)) revert ZeroAddress();
        _serviceManager = IServiceManagerValidator(serviceManager);
    }

    /// @notice The service manager whose validate decides what is accepted.
    function getServiceManager() external view returns (address) {
        return address(_serviceManager);
    }

    /// @notice Validates `envelope` and its signatures with the service
    /// manager (reverting with the manager's error when they fail), then
    /// stores the payload under the event id and emits SignedEnvelopeHandled.
    function handleSignedEnvelope(Envelope calldata envelope, SignatureData calldata signatureData) external {
        bytes20 eventId = envelope.eventId;
        // Checked first: a late submitter learns cheaply that it is done.
        if (_handled[eventId]) revert EventAlreadyHandled(eventId);
        _serviceManager.validate(envelope, signatureData);
        _handled[eventId] = true;
        _payloads[eventId] = envelope.payload;
        ++handledCount;
        emit SignedEnvelopeHandled(eventId, envelope.payload);
    }

    /// @notice The payload handled under `eventId` (empty if none).
    function payloadOf(bytes20 eventId) external view returns (bytes memory) {
        return _payloads[eventId];
    }

    /// @notice Whether an envelope with `eventId` has been handled.
    function isHandled(bytes20 eventId) external view returns (bool) {
        return _handled[eventId];
    }
}
