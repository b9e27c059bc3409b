from shared.errors import Conflict, Forbidden, Unauthorized
from shared.etag import Stale


class InvalidCredentials(Unauthorized):
    code = "invalid_grant"
    title_vi = "Đăng nhập không thành công"
    title_en = "Login failed"

    def __init__(self) -> None:
        # The same words for a wrong password and an unknown user.
        super().__init__(
            "Tên đăng nhập hoặc mật khẩu không đúng",
            "Wrong username or password",
            error="invalid_grant",
        )


class InvalidRefreshToken(Unauthorized):
    code = "invalid_grant"
    title_vi = "Phiên đăng nhập không hợp lệ"
    title_en = "Invalid refresh token"

    def __init__(self) -> None:
        super().__init__(
            "Phiên đăng nhập đã hết hạn hoặc bị thu hồi, vui lòng đăng nhập lại",
            "The refresh token is expired or revoked; log in again",
            error="invalid_grant",
        )


class InvalidClient(Unauthorized):
    code = "invalid_client"
    title_vi = "Ứng dụng không hợp lệ"
    title_en = "Invalid client"

    def __init__(self) -> None:
        super().__init__(
            "Mã ứng dụng hoặc khóa bí mật không đúng",
            "Wrong client id or secret",
            error="invalid_client",
        )


class WrongPassword(Forbidden):
    code = "wrong_password"

    def __init__(self) -> None:
        super().__init__("Mật khẩu hiện tại không đúng", "The current password is wrong")


class UsersOnly(Forbidden):
    code = "users_only"

    def __init__(self) -> None:
        super().__init__(
            "Chỉ tài khoản người dùng có mật khẩu", "Only a user account has a password"
        )


class UsernameTaken(Conflict):
    code = "username_taken"

    def __init__(self, username: str) -> None:
        super().__init__(
            f"Tên đăng nhập '{username}' đã được sử dụng", f"Username '{username}' is taken"
        )


class UserStale(Stale):
    def __init__(self) -> None:
        super().__init__(
            "Tài khoản đã được người khác sửa, hãy tải lại", "The user was changed; reload it"
        )
