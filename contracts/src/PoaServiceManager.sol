// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title PoaServiceManager
/// @notice A proof-of-authority service manager that behaves like the one
/// upstream WAVS ships (its POA stake registry): the owner registers
/// operators, each with a weight and a signing key, and sets an absolute
/// threshold weight and a quorum fraction; `validate` accepts an envelope
/// when sorted signatures of registered signing keys carry enough weight.
///
/// It exists so that the node can be tested against a manager it did not
/// write for itself: its only views are those of WAVS's IWavsServiceManager
/// (and `owner`), and its errors are upstream's names.
///
/// The contract is an implementation for a proxy (UpgradeableProxy):
/// `initialize` configures the proxy's storage once; the implementation
/// itself cannot be initialized.
///
/// Everything validate reads (the operator of a signing key, weights, the
/// total weight, the threshold weight and the quorum) is kept as per-block
/// history and read at the signature data's reference block.
contract PoaServiceManager {
    /// @notice A service result: the component's payload under an event id.
    struct Envelope {
        bytes20 eventId;
        bytes12 ordering;
        bytes payload;
    }

    /// @notice Signatures over an envelope: `signers` are signing-key
    /// addresses, strictly ascending; `signatures[i]` is the 65-byte r‖s‖v
    /// signature of `signers[i]` over the EIP-191 digest of
    /// keccak256(abi.encode(envelope)).
    struct SignatureData {
        address[] signers;
        bytes[] signatures;
        uint32 referenceBlock;
    }

    /// @dev One entry of a history: `value` holds from block `since` on,
    /// until the next entry. 48 + 208 bits: one storage slot.
    struct Snapshot {
        uint48 since;
        uint208 value;
    }

    // Errors of validate: upstream's names, in the order validate checks.

    /// @notice Not as many signatures as signers.
    error LengthMismatch();
    /// @notice No signers.
    error InvalidLength();
    /// @notice The reference block is not below the current block.
    error InvalidReferenceBlock();
    /// @notice A signing key had no operator at the reference block.
    error SignerNotRegistered();
    /// @notice Signers are not strictly ascending.
    error NotSorted();
    /// @notice A signature is malformed or not its signer's over this envelope.
    error InvalidSignature();
    /// @notice The signed weight is above the total weight.
    error InvalidSignedWeight();
    /// @notice The signed weight is below the threshold weight.
    error InsufficientSignedStake();
    /// @notice signedWeight * quorumDenominator < quorumNumerator * totalWeight.
    error InsufficientQuorum(uint256 signedWeight, uint256 quorumNumerator, uint256 totalWeight);

    // Errors of initialize and the owner's functions.

    /// @notice initialize ran before (or this is the implementation itself).
    error InvalidInitialization();
    error NotOwner();
    error ZeroAddress();
    error OperatorAlreadyRegistered();
    error OperatorNotRegistered();
    /// @notice The signing key belongs (or last belonged) to another operator.
    error SigningKeyAlreadyUsed();
    /// @notice A weight of zero, or one taking the total above MAX_TOTAL_WEIGHT.
    error InvalidWeight();
    /// @notice A quorum needs 0 < denominator <= 2**64 - 1 and numerator <= denominator.
    error InvalidQuorum();

    event Initialized(uint64 version);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event OperatorRegistered(address indexed operator, address indexed signingKey, uint256 weight);
    event OperatorDeregistered(address indexed operator);
    event OperatorWeightUpdated(address indexed operator, uint256 oldWeight, uint256 newWeight);
    event SigningKeyUpdated(address indexed operator, address indexed oldSigningKey, address indexed newSigningKey);
    event ThresholdWeightUpdated(uint256 thresholdWeight);
    event QuorumThresholdUpdated(uint256 indexed numerator, uint256 indexed denominator);
    event ServiceURIUpdated(string serviceURI);

    /// @dev The total weight stays at or below this, and quorum terms are
    /// 64-bit, so that validate's products cannot overflow.
    uint256 private constant MAX_TOTAL_WEIGHT = type(uint128).max;

    /// @dev A threshold above every possible signed weight: larger ones are
    /// stored as this, which validate treats the same.
    uint256 private constant THRESHOLD_CAP = uint256(type(uint128).max) + 1;

    /// @dev secp256k1 order / 2: an s above it is the malleable twin of a
    /// canonical signature.
    uint256 private constant MAX_S = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    /// @dev 0 before initialize, 1 after, all ones in the implementation.
    uint64 private _initialized;
    address private _owner;
    string private _serviceURI;

    mapping(address operator => bool) private _registered;
    /// @dev The signing key an operator registered or rotated to last; kept
    /// after deregistration, like the key's history.
    mapping(address operator => address signingKey) private _keyOf;
    /// @dev Signing key → operator (as uint160), zero when unlinked.
    mapping(address signingKey => Snapshot[]) private _operatorOfKey;
    mapping(address operator => Snapshot[]) private _weight;
    Snapshot[] private _totalWeight;
    Snapshot[] private _thresholdWeight;
    /// @dev numerator << 64 | denominator.
    Snapshot[] private _quorum;

    modifier onlyOwner() {
        if (msg.sender != _owner) revert NotOwner();
        _;
    }

    /// @notice The implementation is never initialized: only a proxy's storage is.
    constructor() {
        _initialized = type(uint64).max;
        emit Initialized(type(uint64).max);
    }

    /// @notice Sets the owner, the threshold weight and the quorum
    /// numerator/denominator of a fresh proxy. Runs once.
    function initialize(address owner_, uint256 thresholdWeight, uint256 quorumNumerator, uint256 quorumDenominator)
        external
    {
        if (_initialized != 0) revert InvalidInitialization();
        if (owner_ == address(0)) revert ZeroAddress();
        _initialized = 1;
        _owner = owner_;
        emit OwnershipTransferred(address(0), owner_);
        _updateThreshold(thresholdWeight);
        _updateQuorum(quorumNumerator, quorumDenominator);
        emit Initialized(1);
    }

    // ---------------------------------------------------------------- validate

    /// @notice Reverts unless `signatureData` proves enough weight signed
    /// `envelope`, everything read at its reference block.
    function validate(Envelope calldata envelope, SignatureData calldata signatureData) external view {
        uint256 count = signatureData.signers.length;
        if (count != signatureData.signatures.length) revert LengthMismatch();
        if (count == 0) revert InvalidLength();
        uint256 ref = signatureData.referenceBlock;
        // Upstream checks this for each signer first; it does not depend on
        // the signer, so once before the first is the same.
        if (ref >= block.number) revert InvalidReferenceBlock();

        bytes32 digest =
            keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", keccak256(abi.encode(envelope))));
        uint256 signedWeight;
        address previous;
        for (uint256 i; i < count; ++i) {
            address signer = signatureData.signers[i];
            address operator = address(uint160(_lookup(_operatorOfKey[signer], ref)));
            if (operator == address(0)) revert SignerNotRegistered();
            if (signer <= previous) revert NotSorted();
            if (!_signedBy(signer, digest, signatureData.signatures[i])) revert InvalidSignature();
            signedWeight += _lookup(_weight[operator], ref);
            previous = signer;
        }

        uint256 totalWeight = _lookup(_totalWeight, ref);
        if (signedWeight > totalWeight) revert InvalidSignedWeight();
        if (_lookup(_thresholdWeight, ref) > signedWeight) revert InsufficientSignedStake();
        uint256 quorum = _lookup(_quorum, ref);
        uint256 numerator = quorum >> 64;
        uint256 denominator = quorum & type(uint64).max;
        if (signedWeight * denominator < numerator * totalWeight) {
            revert InsufficientQuorum(signedWeight, numerator, totalWeight);
        }
    }

    /// @dev Whether `signature` is a canonical 65-byte r‖s‖v signature by
    /// `signer` of `digest`.
    function _signedBy(address signer, bytes32 digest, bytes calldata signature) private pure returns (bool) {
        if (signature.length != 65) return false;
        bytes32 r = bytes32(signature[:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v != 27 && v != 28) return false;
        if (uint256(s) > MAX_S) return false;
        address recovered = ecrecover(digest, v, r, s);
        return recovered != address(0) && recovered == signer;
    }

    // ------------------------------------------------------- IWavsServiceManager

    /// @notice The current weight of `operator` (zero if not registered).
    function getOperatorWeight(address operator) external view returns (uint256) {
        return _current(_weight[operator]);
    }

    /// @notice The operator `signingKey` currently signs for (zero if none).
    /// A deregistered operator keeps its key, with weight zero.
    function getLatestOperatorForSigningKey(address signingKey) external view returns (address) {
        return address(uint160(_current(_operatorOfKey[signingKey])));
    }

    /// @notice Where the service's JSON definition is served.
    function getServiceURI() external view returns (string memory) {
        return _serviceURI;
    }

    function setServiceURI(string calldata serviceURI) external onlyOwner {
        _serviceURI = serviceURI;
        emit ServiceURIUpdated(serviceURI);
    }

    /// @notice None: this manager is not backed by EigenLayer.
    function getAllocationManager() external pure returns (address) {
        return address(0);
    }

    /// @notice None: this manager is not backed by EigenLayer.
    function getDelegationManager() external pure returns (address) {
        return address(0);
    }

    /// @notice None: the stake registry is this contract's own storage.
    function getStakeRegistry() external pure returns (address) {
        return address(0);
    }

    // --------------------------------------------------------------- operators

    /// @notice Adds `operator` with `weight`, signing with `signingKey`.
    function registerOperator(address operator, address signingKey, uint256 weight) external onlyOwner {
        if (operator == address(0) || signingKey == address(0)) revert ZeroAddress();
        if (_registered[operator]) revert OperatorAlreadyRegistered();
        if (weight == 0) revert InvalidWeight();
        _registered[operator] = true;
        _link(operator, signingKey);
        _setWeight(operator, weight);
        emit OperatorRegistered(operator, signingKey, weight);
    }

    /// @notice Changes a registered operator's weight; zero is refused (deregister instead).
    function updateOperatorWeight(address operator, uint256 weight) external onlyOwner {
        if (!_registered[operator]) revert OperatorNotRegistered();
        if (weight == 0) revert InvalidWeight();
        uint256 oldWeight = _setWeight(operator, weight);
        emit OperatorWeightUpdated(operator, oldWeight, weight);
    }

    /// @notice Sets a registered operator's weight to zero from this block
    /// on. Its signing key still maps to it, so a signature by that key
    /// still passes the signer check and adds nothing.
    function deregisterOperator(address operator) external onlyOwner {
        if (!_registered[operator]) revert OperatorNotRegistered();
        _registered[operator] = false;
        _setWeight(operator, 0);
        emit OperatorDeregistered(operator);
    }

    /// @notice Moves a registered operator to `newSigningKey`; its old key
    /// maps to no operator from this block on.
    function updateOperatorSigningKey(address operator, address newSigningKey) external onlyOwner {
        if (!_registered[operator]) revert OperatorNotRegistered();
        if (newSigningKey == address(0)) revert ZeroAddress();
        address oldKey = _keyOf[operator];
        if (oldKey == newSigningKey) return;
        _link(operator, newSigningKey);
        emit SigningKeyUpdated(operator, oldKey, newSigningKey);
    }

    /// @dev Makes `signingKey` the operator's key, unlinking the key it had
    /// before (if still its own), so that an operator never counts twice.
    function _link(address operator, address signingKey) private {
        address holder = address(uint160(_current(_operatorOfKey[signingKey])));
        if (holder != address(0) && holder != operator) revert SigningKeyAlreadyUsed();
        address oldKey = _keyOf[operator];
        if (oldKey == signingKey) return;
        if (oldKey != address(0) && address(uint160(_current(_operatorOfKey[oldKey]))) == operator) {
            _record(_operatorOfKey[oldKey], 0);
        }
        _keyOf[operator] = signingKey;
        _record(_operatorOfKey[signingKey], uint160(operator));
    }

    /// @dev Records the operator's new weight and the new total; returns the old weight.
    function _setWeight(address operator, uint256 weight) private returns (uint256 oldWeight) {
        if (weight > MAX_TOTAL_WEIGHT) revert InvalidWeight();
        oldWeight = _current(_weight[operator]);
        uint256 total = _current(_totalWeight) + weight - oldWeight;
        if (total > MAX_TOTAL_WEIGHT) revert InvalidWeight();
        _record(_weight[operator], weight);
        _record(_totalWeight, total);
    }

    // ------------------------------------------------- threshold and quorum

    /// @notice Sets the least signed weight validate accepts (absolute; zero for none).
    function updateStakeThreshold(uint256 thresholdWeight) external onlyOwner {
        _updateThreshold(thresholdWeight);
    }

    /// @notice Sets the signed share of the total weight validate requires:
    /// signedWeight * denominator >= numerator * totalWeight.
    function updateQuorum(uint256 numerator, uint256 denominator) external onlyOwner {
        _updateQuorum(numerator, denominator);
    }

    function _updateThreshold(uint256 thresholdWeight) private {
        _record(_thresholdWeight, thresholdWeight > THRESHOLD_CAP ? THRESHOLD_CAP : thresholdWeight);
        emit ThresholdWeightUpdated(thresholdWeight);
    }

    function _updateQuorum(uint256 numerator, uint256 denominator) private {
        if (denominator == 0 || denominator > type(uint64).max || numerator > denominator) revert InvalidQuorum();
        _record(_quorum, (numerator << 64) | denominator);
        emit QuorumThresholdUpdated(numerator, denominator);
    }

    // --------------------------------------------------------------- ownership

    /// @notice The account that may change operators, the threshold, the quorum and the URI.
    function owner() external view returns (address) {
        return _owner;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(_owner, newOwner);
        _owner = newOwner;
    }

    // ---------------------------------------------------------------- history

    /// @dev Records `value` from the current block on. Two changes in one
    /// block leave one entry, holding the last value.
    function _record(Snapshot[] storage history, uint256 value) private {
        uint48 blockNumber = uint48(block.number);
        uint256 length = history.length;
        if (length != 0 && history[length - 1].since == blockNumber) {
            history[length - 1].value = uint208(value);
            return;
        }
        history.push(Snapshot({since: blockNumber, value: uint208(value)}));
    }

    function _current(Snapshot[] storage history) private view returns (uint256) {
        uint256 length = history.length;
        if (length == 0) return 0;
        return history[length - 1].value;
    }

    /// @dev The value at `blockNumber`: that of the latest entry with
    /// since <= blockNumber, or zero if every entry is later.
    function _lookup(Snapshot[] storage history, uint256 blockNumber) private view returns (uint256) {
        uint256 length = history.length;
        if (length == 0) return 0;
        // Most lookups are of a block after the last change.
        Snapshot storage last = history[length - 1];
        if (last.since <= blockNumber) return last.value;
        // Entries [0, found) have since <= blockNumber; search the rest.
        uint256 found;
        uint256 end = length - 1;
        while (found < end) {
            uint256 probe = found + (end - found) / 2;
            if (history[probe].since <= blockNumber) {
                found = probe + 1;
            } else {
                end = probe;
            }
        }
        return found == 0 ? 0 : history[found - 1].value;
    }
}
