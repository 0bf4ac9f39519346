// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @notice What ExampleHandler needs of a service manager: WAVS's
/// IWavsServiceManager.validate, which reverts unless the signatures meet
/// the manager's requirements.
interface IEnvelopeValidator {
    function validate(ExampleHandler.Envelope calldata envelope, ExampleHandler.SignatureData calldata signatureData)
        external
        view;
}

/// @title ExampleHandler
/// @notice Behaves like WAVS's example service handler (SimpleSubmit):
/// each envelope is checked by the service manager, its payload decoded as
/// abi.encode(DataWithId) and stored under the trigger id with the
/// signatures. An envelope handled again is stored again (no replay
/// protection), and nothing is emitted.
/// @dev Envelope and SignatureData are declared here, not shared, so that
/// each contract's Go binding declares its own struct types (see
/// ServiceHandler). The ABI encoding, hence every selector, is the same.
contract ExampleHandler {
    /// @notice A service result: the component's payload under an event id.
    struct Envelope {
        bytes20 eventId;
        bytes12 ordering;
        bytes payload;
    }

    /// @notice Signatures over an envelope, as the manager's validate takes them.
    struct SignatureData {
        address[] signers;
        bytes[] signatures;
        uint32 referenceBlock;
    }

    /// @notice What an envelope's payload must be: abi.encode(DataWithId), one tuple.
    struct DataWithId {
        uint64 triggerId;
        bytes data;
    }

    IEnvelopeValidator private immutable _serviceManager;

    mapping(uint64 triggerId => bool) private _valid;
    mapping(uint64 triggerId => bytes) private _data;
    mapping(uint64 triggerId => SignatureData) private _signatureData;

    constructor(address serviceManager) {
        _serviceManager = IEnvelopeValidator(serviceManager);
    }

    /// @notice The service manager whose validate decides what is accepted.
    function getServiceManager() external view returns (address) {
        return address(_serviceManager);
    }

    /// @notice Validates `envelope` with the service manager (reverting with
    /// its error), decodes the payload as DataWithId (reverting if it is
    /// not one) and stores the data and the signatures under the trigger id,
    /// replacing what an earlier envelope stored there.
    function handleSignedEnvelope(Envelope calldata envelope, SignatureData calldata signatureData) external {
        _serviceManager.validate(envelope, signatureData);
        DataWithId memory decoded = abi.decode(envelope.payload, (DataWithId));
        _signatureData[decoded.triggerId] = signatureData;
        _data[decoded.triggerId] = decoded.data;
        _valid[decoded.triggerId] = true;
    }

    /// @notice Whether an envelope for `triggerId` has been handled.
    function isValidTriggerId(uint64 triggerId) external view returns (bool) {
        return _valid[triggerId];
    }

    /// @notice The data handled last for `triggerId` (empty if none).
    function getData(uint64 triggerId) external view returns (bytes memory) {
        return _data[triggerId];
    }

    /// @notice The signatures handled last for `triggerId` (empty if none).
    function getSignatureData(uint64 triggerId) external view returns (SignatureData memory) {
        return _signatureData[triggerId];
    }
}
